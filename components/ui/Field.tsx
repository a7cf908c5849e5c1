import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes } from 'react';

export const controlClass = (error?: string | null, width = 'w-full') =>
  `block h-9 ${width} rounded-md border bg-white px-2.5 text-sm text-zinc-900 shadow-xs outline-none placeholder:text-zinc-400 focus:ring-2 disabled:cursor-not-allowed disabled:bg-zinc-50 disabled:text-zinc-500 dark:bg-zinc-950 dark:text-zinc-100 dark:disabled:bg-zinc-900 dark:disabled:text-zinc-500 ${
    error
      ? 'border-red-400 focus:border-red-500 focus:ring-red-500/30 dark:border-red-500/70'
      : 'border-zinc-300 focus:border-sky-500 focus:ring-sky-500/60 dark:border-zinc-700'
  }`;

interface FieldProps {
  id: string;
  label: ReactNode;
  error?: string | null;
  hint?: ReactNode;
  children: ReactNode;
  className?: string;
}

/** A label, its control, and under it either the field's error or a hint. */
export function Field({ id, label, error, hint, children, className = '' }: FieldProps) {
  return (
    <div className={className} data-field={id}>
      <label htmlFor={id} className="mb-1 block text-xs font-medium text-zinc-700 dark:text-zinc-300">
        {label}
      </label>
      {children}
      {error ? (
        <p
          id={`${id}-error`}
          role="alert"
          className="mt-1 text-xs text-red-600 dark:text-red-400"
          data-testid={`error-${id}`}
        >
          {error}
        </p>
      ) : hint ? (
        <p id={`${id}-hint`} className="mt-1 text-xs text-zinc-500 dark:text-zinc-400">
          {hint}
        </p>
      ) : null}
    </div>
  );
}

type FieldOf<C> = Omit<FieldProps, 'children'> &
  C & {
    /** The control's width class (full width by default). */
    width?: string;
    /** Classes of the control itself; `className` is the Field's. */
    controlClassName?: string;
  };

/** A labelled text box: a Field around a TextInput of the same id and error; `suggestions` the browser offers. */
export function TextField({
  id,
  label,
  error,
  hint,
  className,
  controlClassName,
  suggestions,
  ...input
}: FieldOf<InputHTMLAttributes<HTMLInputElement>> & { suggestions?: readonly string[] }) {
  return (
    <Field id={id} label={label} error={error} hint={hint} className={className}>
      <TextInput
        id={id}
        error={error}
        className={controlClassName}
        list={suggestions && `${id}-suggestions`}
        {...input}
      />
      {suggestions && <Suggestions id={`${id}-suggestions`} values={suggestions} />}
    </Field>
  );
}

/** A form's error that belongs to none of its fields, beside its buttons. */
export function FormAlert({ children }: { children: ReactNode }) {
  return (
    <p role="alert" className="text-sm text-red-700 dark:text-red-400">
      {children}
    </p>
  );
}

/** Suggestions for a text box (`<input list={id}>`): the browser offers them as the person types. */
export function Suggestions({ id, values }: { id: string; values: readonly string[] }) {
  return (
    <datalist id={id}>
      {values.map((v) => (
        <option key={v} value={v} />
      ))}
    </datalist>
  );
}

type ControlProps = { id: string; error?: string | null; width?: string; className?: string };

/** What a text box or a select says to assistive technology about its error, and how it looks with one. */
function controlProps({ id, error, width, className = '' }: ControlProps) {
  return {
    id,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': error ? `${id}-error` : undefined,
    className: `${controlClass(error, width)} ${className}`,
  };
}

export function TextInput({
  id,
  error,
  width,
  className,
  ...rest
}: Omit<InputHTMLAttributes<HTMLInputElement>, 'id'> & ControlProps) {
  return <input {...controlProps({ id, error, width, className })} {...rest} />;
}

export function Select({
  id,
  error,
  width,
  className,
  ...rest
}: Omit<SelectHTMLAttributes<HTMLSelectElement>, 'id'> & ControlProps) {
  return <select {...controlProps({ id, error, width, className })} {...rest} />;
}

/** A labelled select: a Field around a Select of the same id and error. */
export function SelectField({
  id,
  label,
  error,
  hint,
  className,
  controlClassName,
  ...select
}: FieldOf<SelectHTMLAttributes<HTMLSelectElement>>) {
  return (
    <Field id={id} label={label} error={error} hint={hint} className={className}>
      <Select id={id} error={error} className={controlClassName} {...select} />
    </Field>
  );
}

export function Checkbox({
  id,
  label,
  error,
  ...rest
}: InputHTMLAttributes<HTMLInputElement> & { id: string; label: ReactNode; error?: string | null }) {
  return (
    <div data-field={id}>
      <label htmlFor={id} className="inline-flex items-center gap-2 text-sm text-zinc-800 dark:text-zinc-200">
        <input
          id={id}
          type="checkbox"
          aria-invalid={error ? true : undefined}
          className="size-4 rounded border-zinc-300 accent-sky-600 dark:border-zinc-600"
          {...rest}
        />
        {label}
      </label>
      {error && (
        <p
          id={`${id}-error`}
          role="alert"
          className="mt-1 text-xs text-red-600 dark:text-red-400"
          data-testid={`error-${id}`}
        >
          {error}
        </p>
      )}
    </div>
  );
}

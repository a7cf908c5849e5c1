'use client';

import { useEffect, useRef, useState } from 'react';
import { useCan } from '@/components/auth/session';
import { errorText, sendEdit } from '@/components/forms/edit';
import type { AckError } from '@/lib/errors';
import { MAX_WEIGHT, destinationId, type ServiceKey, type TableId } from '@/lib/ipvs';

/** Quiet time after the last keyboard step on the slider before the weight is sent (a pointer drag sends on release). */
export const WEIGHT_DEBOUNCE_MS = 300;
/** Give up waiting for the table to show an accepted weight after this long (and show the table's value). */
const CONFIRM_WAIT_MS = 5000;

interface Props {
  director: string;
  service: ServiceKey;
  destination: { address: string; port: number };
  /** The weight in the live table. */
  weight: number;
  /** The table on the page (agent run, version). */
  epoch: string;
  version: number;
  disabled?: boolean;
  onError?: (e: AckError | null) => void;
}

type Phase =
  | { kind: 'idle' }
  | { kind: 'editing' }
  | { kind: 'sending'; value: number }
  | { kind: 'waiting'; value: number; since: number };

/**
 * A real server's weight: a range slider (keyboard and pointer) and a number box for exact values up to 65535. The box
 * applies on Enter or when it loses focus (Escape undoes), the slider when the pointer lets go and after keyboard steps
 * settle (300 ms); each is one 'set-weight' edit. The control shows the pending value until the table confirms it,
 * snaps back to the table's weight with the kernel's error text when the edit fails, and asks before the page is left
 * with a value not yet sent.
 */
export const VIEWER_WEIGHT_REASON = 'viewers cannot change weights';

export function WeightControl({
  director,
  service,
  destination,
  weight,
  epoch,
  version,
  disabled: notLive,
  onError,
}: Props) {
  const canEdit = useCan('operator');
  const disabled = notLive || !canEdit;
  const [draft, setDraft] = useState<number | null>(null);
  const [text, setText] = useState<string | null>(null);
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const [error, setError] = useState<AckError | null>(null);
  const [textError, setTextError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const queued = useRef<number | null>(null);
  /** The value on screen that has not been sent yet, if any. */
  const latest = useRef<number | null>(null);
  const dragging = useRef(false);
  const sending = useRef(false);
  /** The table the value on screen was chosen on (set by its first change, cleared once settled): sent with the edit,
   * so that a table replaced meanwhile by a restarted agent refuses it rather than take a value meant for another. */
  const madeOn = useRef<TableId | null>(null);
  // The range's top, frozen while the person interacts so the thumb does not run away under the pointer.
  const [rangeMax, setRangeMax] = useState(() => Math.max(100, weight * 2));
  const label = destinationId(destination);

  useEffect(() => {
    if (draft === null && !sending.current) setRangeMax(Math.max(100, weight * 2));
  }, [weight, draft]);

  // An accepted value stays on screen until the table shows it (the next delta), or CONFIRM_WAIT_MS passed.
  useEffect(() => {
    if (phase.kind !== 'waiting') return;
    // A value typed meanwhile and not sent yet stays on screen.
    const settle = () => {
      if (latest.current !== null) return setPhase({ kind: 'editing' });
      setDraft(null);
      setText(null);
      setPhase({ kind: 'idle' });
    };
    if (weight === phase.value) return settle();
    const t = setTimeout(
      () => {
        // Show what the table says, and say that it does not show the accepted value yet.
        setNotice(`ipvsadm accepted weight ${phase.value}, but the director's table still shows ${weight}`);
        settle();
      },
      Math.max(0, CONFIRM_WAIT_MS - (Date.now() - phase.since)),
    );
    return () => clearTimeout(t);
  }, [phase, weight]);

  // Leaving the page (reload, close, another address) with a value not applied yet asks first.
  const unsent = phase.kind === 'editing' || phase.kind === 'sending';
  useEffect(() => {
    if (!unsent) return;
    const ask = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', ask);
    return () => window.removeEventListener('beforeunload', ask);
  }, [unsent]);
  useEffect(() => setNotice(null), [weight]);
  useEffect(() => {
    if (phase.kind === 'idle') madeOn.current = null;
  }, [phase]);

  function reportError(e: AckError | null) {
    setError(e);
    onError?.(e);
  }

  async function send(value: number) {
    if (sending.current) {
      queued.current = value; // one edit at a time; the latest value goes next
      return;
    }
    sending.current = true;
    setPhase({ kind: 'sending', value });
    const reply = await sendEdit(
      director,
      {
        kind: 'set-weight',
        service,
        destination: { address: destination.address, port: destination.port },
        weight: value,
      },
      madeOn.current ?? { epoch, version },
    );
    sending.current = false;
    const next = queued.current;
    queued.current = null;
    if (!reply.ok) {
      // Snap back to what the table says, with the kernel's words.
      clearTimeout(timer.current);
      setDraft(null);
      setText(null);
      setPhase({ kind: 'idle' });
      reportError(reply.error);
      return;
    }
    if (next !== null && next !== value) return void send(next);
    setPhase({ kind: 'waiting', value, since: Date.now() });
  }

  /** Sends `value` now (or settles back when it is what the table already says). */
  function commit(value: number) {
    clearTimeout(timer.current);
    timer.current = undefined;
    latest.current = null;
    if (value === weight && !sending.current) {
      setDraft(null);
      setText(null);
      setPhase({ kind: 'idle' });
      return;
    }
    void send(value);
  }

  /** A new value on screen, not sent yet. */
  function edit(value: number) {
    reportError(null);
    setNotice(null);
    setTextError(null);
    setDraft(value);
    latest.current = value;
    madeOn.current ??= { epoch, version };
    setPhase((p) => (p.kind === 'sending' ? p : { kind: 'editing' }));
  }

  function slide(value: number) {
    edit(value);
    clearTimeout(timer.current);
    // While the pointer holds the thumb nothing is sent; keyboard steps are sent once they settle.
    if (!dragging.current) timer.current = setTimeout(() => commit(value), WEIGHT_DEBOUNCE_MS);
  }

  function grab() {
    dragging.current = true;
    clearTimeout(timer.current);
    // The pointer may be released outside the slider: listen on the window for that one release.
    window.addEventListener(
      'pointerup',
      () => {
        dragging.current = false;
        if (latest.current !== null) commit(latest.current);
      },
      { once: true },
    );
  }

  function changeText(t: string) {
    setText(t);
    latest.current = null;
    if (!/^\d+$/.test(t.trim())) {
      setTextError(t.trim() === '' ? 'a weight 0..65535' : 'a whole number');
      return;
    }
    const v = Number(t);
    if (v > MAX_WEIGHT) {
      setTextError(`at most ${MAX_WEIGHT}`);
      return;
    }
    edit(v);
  }

  function undo() {
    clearTimeout(timer.current);
    latest.current = null;
    setDraft(null);
    setText(null);
    setTextError(null);
    if (!sending.current) setPhase({ kind: 'idle' });
  }

  const shown = draft ?? weight;
  const pending = phase.kind === 'sending' || phase.kind === 'waiting' || phase.kind === 'editing';
  const status =
    phase.kind === 'sending'
      ? 'applying…'
      : phase.kind === 'waiting'
        ? 'confirming…'
        : phase.kind === 'editing'
          ? text === null
            ? 'changed'
            : 'Enter applies'
          : '';
  return (
    <div
      className="min-w-0"
      data-testid={`weight-${label}`}
      data-pending={pending}
      data-weight={weight}
      title={canEdit ? undefined : VIEWER_WEIGHT_REASON}
    >
      <div className="flex items-center gap-2">
        <input
          type="range"
          min={0}
          max={Math.max(rangeMax, shown)}
          step={1}
          value={shown}
          disabled={disabled}
          title={canEdit ? undefined : VIEWER_WEIGHT_REASON}
          aria-label={`Weight of ${label}`}
          aria-valuetext={`weight ${shown}${pending ? ' (pending)' : ''}`}
          onChange={(e) => slide(Number(e.target.value))}
          onPointerDown={grab}
          onBlur={() => {
            if (timer.current !== undefined && latest.current !== null) commit(latest.current);
          }}
          className="h-1.5 w-20 min-w-0 xl:w-32 cursor-pointer accent-sky-600 disabled:cursor-not-allowed disabled:opacity-50 dark:accent-sky-400"
        />
        <input
          type="text"
          inputMode="numeric"
          aria-label={`Weight of ${label}, exact value`}
          aria-invalid={textError ? true : undefined}
          value={text ?? String(shown)}
          disabled={disabled}
          title={canEdit ? undefined : VIEWER_WEIGHT_REASON}
          onChange={(e) => changeText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && latest.current !== null) commit(latest.current);
            else if (e.key === 'Escape') undo();
          }}
          onBlur={(e) => {
            // disabled under the person's hands (the director is not live for a moment): the value stays on screen,
            // not sent, until they apply it
            if (e.currentTarget.disabled) return;
            if (textError) {
              setText(null);
              setTextError(null);
            } else if (latest.current !== null) commit(latest.current);
          }}
          className={`h-7 w-16 rounded border px-1.5 text-right text-sm tabular-nums outline-none focus:ring-2 disabled:opacity-50 dark:bg-zinc-950 ${
            textError
              ? 'border-red-400 focus:ring-red-500/30'
              : 'border-zinc-300 focus:border-sky-500 focus:ring-sky-500/30 dark:border-zinc-700'
          } ${pending ? 'text-sky-700 dark:text-sky-300' : ''}`}
        />
        <span className="w-20 text-xs text-sky-700 dark:text-sky-300" aria-live="polite" data-testid="weight-status">
          {pending && (
            <span className="inline-flex items-center gap-1">
              <span aria-hidden="true" className="size-1.5 animate-pulse rounded-full bg-sky-500" />
              {status}
            </span>
          )}
          {!canEdit && <span className="text-zinc-500 dark:text-zinc-400">view only</span>}
        </span>
      </div>
      {notice && !textError && !error && (
        <p className="mt-1 max-w-[22rem] text-xs text-amber-700 dark:text-amber-400" data-testid="weight-notice">
          {notice}
        </p>
      )}
      {(textError || error) && (
        <p
          role="alert"
          className="mt-1 max-w-[22rem] text-xs break-words text-red-600 dark:text-red-400"
          data-testid="weight-error"
        >
          {textError ? `Weight: ${textError}` : error ? `Not applied: ${errorText(error)}` : null}
        </p>
      )}
    </div>
  );
}

// A small, strict option parser for the agent's commands: unknown options and missing values are errors.
export interface OptionSpec {
  [name: string]: 'string' | 'boolean';
}

export class UsageError extends Error {}

export function parseOptions<S extends OptionSpec>(
  args: string[],
  spec: S,
): { [K in keyof S]?: S[K] extends 'boolean' ? boolean : string } {
  const out: Record<string, string | boolean> = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    const [name, inline] = a.startsWith('--')
      ? (a.slice(2).split(/=(.*)/s) as [string, string | undefined])
      : [a, undefined];
    const kind = spec[name];
    if (!a.startsWith('--') || !kind) throw new UsageError(`unknown option ${JSON.stringify(a)}`);
    if (kind === 'boolean') out[name] = true;
    else {
      const v = inline ?? args[++i];
      if (v === undefined || (inline === undefined && v.startsWith('--')))
        throw new UsageError(`--${name} needs a value`);
      out[name] = v;
    }
  }
  return out as never;
}

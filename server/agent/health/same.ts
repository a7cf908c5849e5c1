// Cheap comparisons the health monitor makes every second over every checked real server: no JSON per comparison.
import type { CheckConfig, KeptWeight } from '../../../lib/health';

export function sameKept(a: ReadonlyMap<string, KeptWeight>, b: ReadonlyMap<string, KeptWeight>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) {
    const w = b.get(k);
    if (!w || w.applied !== v.applied || !sameFlat(w.config, v.config)) return false;
  }
  return true;
}

/** Equality of flat records (a real server's configuration, a health row): every field a primitive. */
export function sameFlat<T extends object>(a: T, b: T): boolean {
  if (a === b) return true;
  const keys = Object.keys(a) as (keyof T)[];
  if (keys.length !== Object.keys(b).length) return false;
  for (const k of keys) if (a[k] !== b[k]) return false;
  return true;
}

/** A check's configuration as JSON, once per configuration object (a new configuration is a new object). */
const signatures = new WeakMap<CheckConfig, string>();
export function signatureOf(check: CheckConfig): string {
  let s = signatures.get(check);
  if (s === undefined) signatures.set(check, (s = JSON.stringify(check)));
  return s;
}

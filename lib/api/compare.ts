// What "compare any two tables" compares: a director's live table or a saved snapshot, named in one string so that
// the operation is a plain GET (`director:lvs1`, `snapshot:12`).
import { z } from 'zod';

export type TableSource = { kind: 'director'; name: string } | { kind: 'snapshot'; id: number };

export const TableSourceRef = z
  .string()
  .trim()
  .max(80, 'must be at most 80 characters')
  .regex(/^(director:[^\s]{1,64}|snapshot:[1-9]\d{0,11})$/, 'must be director:NAME or snapshot:ID');

/** The source a (validated) reference names. */
export function tableSourceOf(ref: string): TableSource {
  const colon = ref.indexOf(':');
  const rest = ref.slice(colon + 1);
  return ref.slice(0, colon) === 'snapshot' ? { kind: 'snapshot', id: Number(rest) } : { kind: 'director', name: rest };
}

export const directorRef = (name: string) => `director:${name}`;
export const snapshotRef = (id: number) => `snapshot:${id}`;

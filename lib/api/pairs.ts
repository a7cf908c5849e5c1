// Pairs of directors and their drift, as the API shows them.
import { z } from 'zod';
import { DRIFT_KINDS, PairMode } from '../drift';
import { TableDiffSchema } from './contracts';
import { NewDirectorName } from './director-config';

export const PairInput = z
  .object({
    name: NewDirectorName,
    first: z.string().min(1).max(64),
    second: z.string().min(1).max(64),
    mode: PairMode,
  })
  .strict()
  .refine((p) => p.first !== p.second, { path: ['second'], message: 'must be another director than the first' });
export type PairInput = z.infer<typeof PairInput>;

const FieldValue = z.union([z.string(), z.number(), z.boolean(), z.array(z.string()), z.null()]);
export const DriftItemSchema = z.object({
  kind: z.enum(DRIFT_KINDS),
  target: z.string(),
  field: z.string().optional(),
  first: FieldValue,
  second: FieldValue,
});

export const PairView = z.object({
  name: z.string(),
  first: z.string(),
  second: z.string(),
  mode: PairMode,
  /** null while a member has not sent its table. */
  drift: z.object({ items: z.array(DriftItemSchema), diff: TableDiffSchema }).nullable(),
  /** Why there is no drift figure (a member not live). */
  unknown: z.string().optional(),
});
export type PairView = z.infer<typeof PairView>;

// Pairs of directors, their drift, and "make the backup match".
import { z } from 'zod';
import { ApplyResult } from '../contracts';
import { NewDirectorName } from '../director-config';
import { NoInput, NoOutput, operation } from '../operation';
import { PairInput, PairView } from '../pairs';

const OnPair = z.object({ name: NewDirectorName }).strict();

export const pairOperations = {
  'pairs:list': operation({
    tag: 'pairs',
    summary:
      'Every pair with its drift now: each service, real server, timeout or sync daemon that differs, and the plan (the import preview) that makes the second member match the first.',
    access: 'viewer',
    input: NoInput,
    output: z.object({ pairs: z.array(PairView) }),
    rest: { method: 'GET', path: '/api/v1/pairs' },
  }),
  'pairs:set': operation({
    tag: 'pairs',
    summary: 'Make two directors a pair (master/backup: the second follows the first; or active/active).',
    access: 'admin',
    input: PairInput,
    output: z.object({ pair: PairView }),
    rest: { method: 'POST', path: '/api/v1/pairs' },
  }),
  'pairs:remove': operation({
    tag: 'pairs',
    summary: 'Stop treating two directors as a pair (their tables are untouched).',
    access: 'admin',
    input: OnPair,
    output: NoOutput,
    rest: { method: 'DELETE', path: '/api/v1/pairs/{name}', status: 204 },
  }),
  'pair:match': operation({
    tag: 'pairs',
    summary:
      "Make the second member's table equal the first's with the minimal plan shown in the drift (never a flush), through its agent, after an automatic snapshot; 422 when an operation failed.",
    access: 'admin',
    input: OnPair,
    output: ApplyResult,
    rest: {
      method: 'POST',
      path: '/api/v1/pairs/{name}/match',
      status: (r) => (r.results.every((x) => x.ok) ? 200 : 422),
    },
  }),
};

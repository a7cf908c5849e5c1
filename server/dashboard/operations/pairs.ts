// Pairs of directors: their drift (server/hub/pair-drift.ts) and "make the backup match" (the import's apply path).
import { ApiError } from '../../../lib/errors';
import type { pairOperations } from '../../../lib/api/operations/pairs';
import { renderSave } from '../../../lib/ipvs';
import type { Pair } from '../../hub/store/pairs';
import type { Services } from '../services';
import { liveState, unwrap } from './directors';
import type { Handlers } from './handler';

function pairOf(services: Services, name: string): Pair {
  const p = services.pairs.pairs.get(name);
  if (!p) throw new ApiError('not_found', `no pair named ${name}`, { field: 'name' });
  return p;
}

export const pairHandlers: Handlers<keyof typeof pairOperations> = {
  'pairs:list': ({ services }) => ({ pairs: services.pairs.pairs.list().map((p) => services.pairs.view(p)) }),

  'pairs:set'({ services, actor }, body) {
    for (const [field, d] of [
      ['first', body.first],
      ['second', body.second],
    ] as const)
      if (!services.directors.link(d)) throw new ApiError('not_found', `no director named ${d}`, { field });
    let pair: Pair;
    try {
      pair = services.pairs.pairs.set(body, actor.user.name);
    } catch (e) {
      throw new ApiError('conflict', e instanceof Error ? e.message : String(e), { field: 'first' });
    }
    services.pairs.pairChanged(pair.name);
    return { pair: services.pairs.view(pair) };
  },

  'pairs:remove'({ services }, { name }) {
    if (!services.pairs.pairs.remove(name)) throw new ApiError('not_found', `no pair named ${name}`, { field: 'name' });
    services.pairs.pairChanged(name);
    return null;
  },

  async 'pair:match'({ services, actor }, { name }) {
    const pair = pairOf(services, name);
    const wanted = liveState(services, pair.first).services;
    const user = actor.user.name;
    return unwrap(
      await services.changes.apply(
        { user, source: 'restore' },
        pair.second,
        { rules: renderSave(wanted), services: [...wanted] },
        {
          reason: `make ${pair.second} match ${pair.first} (pair ${pair.name})`,
          onProgress: (p) => services.broadcast.applyProgress({ director: pair.second, user, ...p }),
        },
      ),
    );
  },
};

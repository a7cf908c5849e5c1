// The browser's copy of every director it looks at: the director list ('directors'), each subscribed director's table
// (the 'director:subscribe' reply, then 'director:snapshot' / 'director:delta' applied with applyDelta), the last edits
// made from dashboard pages ('service:updated'), and a 5-minute ring buffer of rates per service, and per real server
// of the services a page is looking at (watchService): at 10,000 x 10 a ring per real server took gigabytes.
// One instance per page load, shared by every component through the hooks in ./hooks.
import type { DirectorSummary, ServiceUpdated } from '@/lib/events';
import type { AckError } from '@/lib/errors';
import { applyDelta, destinationId, serviceId, serviceKey, type Service, type TableState } from '@/lib/ipvs';
import { request } from './request';
import { RateRing, type Sample } from './ring';
import { getSocket } from './socket';

export interface Activity extends ServiceUpdated {
  /** Browser clock when it arrived. */
  at: number;
}

export interface DirectorEntry {
  readonly id: string;
  readonly state: TableState | null;
  /** Browser clock of the last snapshot or delta. */
  readonly receivedAt: number | null;
  /** Browser clock minus the agent's clock (ms): add to an agent timestamp (updatedAt, readAt) to place it locally. */
  readonly offset: number;
  /** Why the subscription has no table (e.g. the director has not sent one yet). */
  readonly error: AckError | null;
  /** Edits made through the dashboard on this director, newest first. */
  readonly activity: readonly Activity[];
  /** Counts samples: components reading the ring buffers re-render when it moves. */
  readonly tick: number;
}

const SEP = '\u0000';
export const serviceRingKey = (director: string, sid: string) => `${director}${SEP}${sid}`;
export const destRingKey = (director: string, sid: string, did: string) => `${director}${SEP}${sid}${SEP}${did}`;

/** How long a director stays subscribed, and a service's real-server rings kept, after the last component using it
 * went away (page to page navigation). */
export const LINGER_MS = 60_000;

interface Watch {
  count: number;
  linger?: ReturnType<typeof setTimeout>;
}

/** A service's ring and, while the service is watched, its real servers' rings in table order. */
interface ServiceRings {
  service: RateRing;
  dests: RateRing[] | null;
}

/** A counted hold on `key`: `first` runs when the first holder comes, `last` LINGER_MS after the last one left unless
 * it was held again by then. Returns the release function (a second call does nothing). */
function hold(holds: Map<string, Watch>, key: string, first: () => void, last: () => void): () => void {
  let h = holds.get(key);
  if (!h) {
    h = { count: 0 };
    holds.set(key, h);
    first();
  }
  clearTimeout(h.linger);
  h.count++;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const cur = holds.get(key);
    if (!cur) return;
    cur.count--;
    if (cur.count > 0) return;
    cur.linger = setTimeout(() => {
      if (cur.count > 0) return;
      holds.delete(key);
      last();
    }, LINGER_MS);
  };
}

function sampleOf(
  t: number,
  s: { rate?: Service['rate']; stats?: Service['stats'] },
  active: number,
  inactive: number,
  weight: number,
): Sample {
  const r = s.rate;
  return {
    t,
    cps: r ? r.cps : NaN,
    inPps: r ? r.inPps : NaN,
    outPps: r ? r.outPps : NaN,
    inBps: r ? r.inBps : NaN,
    outBps: r ? r.outBps : NaN,
    active,
    inactive,
    conns: s.stats ? s.stats.conns : NaN,
    weight,
  };
}

export class DirectorStore {
  private readonly listeners = new Set<() => void>();
  private directorList: DirectorSummary[] | null = null;
  private readonly entries = new Map<string, DirectorEntry>();
  private readonly rings = new Map<string, RateRing>();
  private readonly subs = new Map<string, Watch>();
  /** Services (by serviceRingKey) whose real servers get rings: those a page is looking at. */
  private readonly watched = new Map<string, Watch>();
  private readonly offsets = new Map<string, number[]>();
  /** Per director, its rings in table order: while the table keeps its shape, a tick records without building
   * 10,000 ring keys at 10,000 services. */
  private readonly ringsInOrder = new Map<string, ServiceRings[]>();
  /** Directors whose table is in step with the server (false from a disconnect until the next subscribe reply). */
  private readonly synced = new Set<string>();
  private attached = false;

  /** Hooks the shared socket up (browser only, once). */
  attach(): void {
    if (this.attached || typeof window === 'undefined') return;
    this.attached = true;
    const socket = getSocket();
    socket.on('directors', (list) => {
      this.directorList = list;
      this.notify();
    });
    socket.on('director:snapshot', ({ director, state }) => this.onState(director, state));
    socket.on('director:delta', ({ director, delta }) => {
      const e = this.entries.get(director);
      // Not in step (first subscribe, or after a reconnect): the subscribe reply on its way holds this change.
      if (!e?.state || !this.synced.has(director)) return;
      let next: TableState;
      try {
        next = applyDelta(e.state, delta);
      } catch {
        this.subscribe(director); // out of step: start again from a snapshot
        return;
      }
      const reshaped =
        delta.added !== undefined ||
        delta.removed !== undefined ||
        delta.order !== undefined ||
        delta.changed?.some((c) => c.addedDestinations || c.removedDestinations || c.destinationOrder) === true;
      this.onState(director, next, reshaped);
    });
    socket.on('service:updated', (u) => {
      const e = this.entry(u.director);
      this.set(u.director, { activity: [{ ...u, at: Date.now() }, ...e.activity].slice(0, 20) });
    });
    socket.on('connect', () => {
      // A new server-side socket has joined no room: subscribe again to everything in use.
      for (const id of this.subs.keys()) this.subscribe(id);
      this.refreshDirectors();
    });
    socket.on('disconnect', () => {
      this.synced.clear(); // deltas missed meanwhile: wait for the next subscribe reply before applying any
      this.notify();
    });
    if (socket.connected) this.refreshDirectors();
  }

  private refreshDirectors(): void {
    void request('directors:list', []).then((reply) => {
      if (reply.ok) {
        this.directorList = reply.data.directors;
        this.notify();
      }
    });
  }

  // --- useSyncExternalStore plumbing --------------------------------------------------------------------------

  subscribeStore = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  private notify(): void {
    for (const l of this.listeners) l();
  }

  directors(): DirectorSummary[] | null {
    return this.directorList;
  }

  /** The first list the page was rendered with, until the socket brings a newer one. */
  seedDirectors(list: DirectorSummary[] | null): void {
    if (this.directorList === null && list !== null) this.directorList = list;
  }

  get(id: string): DirectorEntry | undefined {
    return this.entries.get(id);
  }

  ring(key: string): RateRing | undefined {
    return this.rings.get(key);
  }

  private entry(id: string): DirectorEntry {
    let e = this.entries.get(id);
    if (!e) {
      e = { id, state: null, receivedAt: null, offset: 0, error: null, activity: [], tick: 0 };
      this.entries.set(id, e);
    }
    return e;
  }

  private set(id: string, patch: Partial<DirectorEntry>): void {
    this.entries.set(id, { ...this.entry(id), ...patch });
    this.notify();
  }

  // --- subscriptions --------------------------------------------------------------------------------------------

  /** Use a director's table; returns the release function. */
  acquire(id: string): () => void {
    this.attach();
    return hold(
      this.subs,
      id,
      () => {
        this.entry(id);
        if (getSocket().connected) this.subscribe(id);
      },
      () => void request('director:unsubscribe', [{ director: id }]),
    );
  }

  /** Keep rings of a service's real servers (from the next update on); returns the release function. Released, they
   * are dropped after LINGER_MS unless watched again. */
  watchService(director: string, sid: string): () => void {
    const key = serviceRingKey(director, sid);
    return hold(
      this.watched,
      key,
      () => this.ringsInOrder.delete(director),
      () => {
        this.ringsInOrder.delete(director);
        const prefix = key + SEP;
        for (const k of this.rings.keys()) if (k.startsWith(prefix)) this.rings.delete(k);
      },
    );
  }

  private subscribe(id: string): void {
    void request('director:subscribe', [{ director: id }]).then((reply) => {
      if (!this.subs.has(id)) return;
      if (reply.ok) this.onState(id, reply.data, true);
      // 'unavailable': joined, but the director has not sent a table yet; it comes as 'director:snapshot'.
      else this.set(id, { error: reply.error });
    });
  }

  /** `reshaped`: services or real servers came, went or moved (a snapshot may have, too). */
  private onState(id: string, state: TableState, reshaped = true): void {
    const now = Date.now();
    this.synced.add(id);
    const prev = this.entry(id);
    const offsets = this.offsets.get(id) ?? [];
    offsets.push(now - state.updatedAt);
    if (offsets.length > 30) offsets.shift();
    this.offsets.set(id, offsets);
    // The smallest recent (receive - agent) difference: clock offset plus the least transit delay seen.
    const offset = Math.min(...offsets);
    const fresh = prev.state === null || state.updatedAt > prev.state.updatedAt;
    if (reshaped) this.ringsInOrder.delete(id);
    if (fresh) this.record(id, state);
    if (reshaped) this.gc(id, state);
    this.entries.set(id, {
      ...prev,
      state,
      receivedAt: fresh ? now : (prev.receivedAt ?? now),
      offset,
      error: null,
      tick: prev.tick + (fresh ? 1 : 0),
    });
    this.notify();
  }

  private record(id: string, state: TableState): void {
    const t = state.updatedAt;
    let rings = this.ringsInOrder.get(id);
    if (!rings) {
      rings = state.services.map((s) => {
        const sid = serviceId(serviceKey(s));
        const key = serviceRingKey(id, sid);
        return {
          service: this.ringFor(key),
          dests: this.watched.has(key)
            ? s.destinations.map((d) => this.ringFor(destRingKey(id, sid, destinationId(d))))
            : null,
        };
      });
      this.ringsInOrder.set(id, rings);
    }
    let i = 0;
    for (const s of state.services) {
      const { service, dests } = rings[i++] as ServiceRings;
      let active = 0;
      let inactive = 0;
      let weight = 0;
      let j = 0;
      for (const d of s.destinations) {
        active += d.activeConns;
        inactive += d.inactiveConns;
        weight += d.weight;
        if (dests) (dests[j++] as RateRing).push(sampleOf(t, d, d.activeConns, d.inactiveConns, d.weight));
      }
      service.push(sampleOf(t, s, active, inactive, weight));
    }
  }

  private ringFor(key: string): RateRing {
    let r = this.rings.get(key);
    if (!r) {
      r = new RateRing();
      this.rings.set(key, r);
    }
    return r;
  }

  /** Drop the history of services and real servers that are gone from this director (or no longer watched). */
  private gc(id: string, state: TableState): void {
    const keep = new Set<string>();
    for (const s of state.services) {
      const sid = serviceId(serviceKey(s));
      keep.add(serviceRingKey(id, sid));
      if (!this.watched.has(serviceRingKey(id, sid))) continue;
      for (const d of s.destinations) keep.add(destRingKey(id, sid, destinationId(d)));
    }
    const prefix = id + SEP;
    for (const key of this.rings.keys()) if (key.startsWith(prefix) && !keep.has(key)) this.rings.delete(key);
  }
}

let store: DirectorStore | undefined;

export function getStore(): DirectorStore {
  store ??= new DirectorStore();
  return store;
}

// For the role test: a valid input for every operation in the registry (a new operation without one does not
// compile), and how to send it over REST.
import { NoInput, type Operation, type RestBinding } from '../../../lib/api/operation';
import type { OperationName } from '../../../lib/api/operations';
import type { InputOf } from '../../../lib/api/types';
import { countDestinations, parseSave, renderKeepalived, renderSave } from '../../../lib/ipvs';
import { AGENT_TOKEN, SEED, type TestStack } from './stack';

export interface Caller {
  stack: TestStack;
  /** The account the request is made as (a fresh one for operations that change their own account). */
  userId: number;
  name: string;
}

type Sample<N extends OperationName> = (c: Caller) => InputOf<N> | Promise<InputOf<N>>;

const PASSWORD_2 = 'a rather unusual passphrase 7731';
let unique = 0;
const live = (c: Caller) => c.stack.dashboard.hub.link('lab')!.state!;
const newSnapshot = (c: Caller) => {
  const { services } = live(c);
  return c.stack.dashboard.services.snapshots.save({
    name: `role test ${++unique}`,
    director: 'lab',
    kind: 'manual',
    createdBy: c.name,
    rules: renderSave(services),
    services: services.length,
    destinations: countDestinations(services),
  }).id;
};
// an added director that is never reached: a closed port on loopback (the traffic rule)
const newDirector = (c: Caller) => {
  const name = `added-${++unique}`;
  c.stack.dashboard.services.fleet.add(
    { name, url: 'http://127.0.0.1:9', token: 'role-test-token-0123456789' },
    c.name,
  );
  return name;
};
// the test's agent once more under another name, so that a pair of it with 'lab' is live (and already matches)
const twin = async (c: Caller) => {
  const hub = c.stack.dashboard.hub;
  if (!hub.link('lab-twin'))
    c.stack.dashboard.services.fleet.add({ name: 'lab-twin', url: c.stack.agentUrl, token: AGENT_TOKEN }, c.name);
  for (let i = 0; i < 250 && !hub.link('lab-twin')?.state; i++) await new Promise((r) => setTimeout(r, 20));
  const pairs = c.stack.dashboard.services.pairs.pairs;
  for (const p of pairs.list()) pairs.remove(p.name);
  return { name: `pair-${++unique}`, first: 'lab', second: 'lab-twin', mode: 'master-backup' as const };
};
const newPair = async (c: Caller) => {
  const pair = await twin(c);
  c.stack.dashboard.services.pairs.pairs.set(pair, c.name);
  return pair.name;
};
const newUser = async (c: Caller) => {
  const name = `target-${++unique}`;
  await c.stack.dashboard.services.users.add(name, PASSWORD_2, 'viewer');
  return name;
};

export const SAMPLES: { [N in OperationName]: Sample<N> } = {
  'auth:login': (c) => ({ name: c.name, password: 'correct horse battery' }),
  'auth:logout': () => ({}),
  'auth:logout-all': () => ({}),
  'auth:me': () => ({}),
  'auth:password': () => ({ current: 'correct horse battery', password: PASSWORD_2 }),
  'auth:sessions': () => ({}),
  'auth:end-session': (c) => ({
    id: c.stack.dashboard.services.sessions.create(c.userId, { address: '127.0.0.1', userAgent: 'role test' }).session
      .id,
  }),
  'setup:status': () => ({}),
  'setup:complete': () => ({ token: 'set by the test', name: 'first', password: PASSWORD_2 }),
  'users:list': () => ({}),
  'users:add': () => ({ name: `added-${++unique}`, password: PASSWORD_2, role: 'viewer' }),
  'users:update': async (c) => ({ name: await newUser(c), role: 'operator' }),
  'users:remove': async (c) => ({ name: await newUser(c) }),
  'directors:list': () => ({}),
  'director:table': () => ({ director: 'lab' }),
  'director:subscribe': () => ({ director: 'lab' }),
  'director:unsubscribe': () => ({ director: 'lab' }),
  'service:update': (c) => ({
    director: 'lab',
    request: { epoch: live(c).epoch, version: live(c).version, edit: { kind: 'zero' } },
  }),
  'director:drained': () => ({ director: 'lab', service: 'tcp/10.1.0.10:80' }),
  'director:export': () => ({ director: 'lab', format: 'json' }),
  'director:stats': () => ({ director: 'lab', series: 'tcp/10.1.0.10:80', range: '5m' }),
  'director:doctor': () => ({ director: 'lab' }),
  'health:config': () => ({ director: 'lab', service: 'tcp/10.1.0.10:80' }),
  'health:check:set': () => ({
    director: 'lab',
    service: { protocol: 'tcp', address: '10.1.0.10', port: 80 },
    check: { check: { type: 'none' } },
  }),
  'health:service:set': () => ({
    director: 'lab',
    service: { protocol: 'tcp', address: '10.1.0.10', port: 80 },
    sorryServer: null,
    quorum: { minWeight: 1 },
  }),
  'health:state': () => ({ director: 'lab' }),
  'director:info': () => ({ director: 'lab' }),
  'fleet:list': () => ({}),
  'fleet:add': () => ({ name: `added-${++unique}`, url: 'http://127.0.0.1:9', token: 'role-test-token-0123456789' }),
  'fleet:update': (c) => ({ name: newDirector(c), url: 'http://127.0.0.1:10' }),
  'fleet:remove': (c) => ({ name: newDirector(c) }),
  'pairs:list': () => ({}),
  'pairs:set': (c) => twin(c),
  'pairs:remove': async (c) => ({ name: await newPair(c) }),
  'pair:match': async (c) => ({ name: await newPair(c) }),
  'conns:watch': () => ({ director: 'lab', on: false }),
  'conns:query': () => ({ director: 'lab', query: {} }),
  'snapshots:list': () => ({ director: 'lab' }),
  'snapshots:save': () => ({ director: 'lab', name: 'role test' }),
  'snapshots:get': (c) => ({ id: newSnapshot(c) }),
  'snapshots:download': (c) => ({ id: newSnapshot(c), format: 'save' }),
  'snapshots:delete': (c) => ({ id: newSnapshot(c) }),
  'import:preview': () => ({ director: 'lab', rules: SEED }),
  'import:apply': (c) => ({ director: 'lab', rules: renderSave(live(c).services) }),
  'import:keepalived:preview': () => ({ director: 'lab', config: renderKeepalived(parseSave(SEED)) }),
  'import:keepalived:apply': (c) => ({ director: 'lab', config: renderKeepalived(live(c).services) }),
  'snapshots:preview': (c) => ({ id: newSnapshot(c) }),
  'snapshots:restore': (c) => ({ id: newSnapshot(c) }),
  'tables:compare': (c) => ({ from: 'director:lab', to: `snapshot:${newSnapshot(c)}` }),
  'audit:query': () => ({ limit: 5 }),
  'audit:export': () => ({ format: 'json', limit: 5 }),
  'meta:openapi': () => ({}),
};

/** Operations that change or end their caller's own account or sessions: each call gets a fresh account. */
export const OWN_ACCOUNT: ReadonlySet<OperationName> = new Set(['auth:password', 'auth:logout-all', 'auth:logout']);

/** The REST request for an input: path fields in the path, the rest in the query (GET) or the body. */
export function restRequest(op: Operation, rest: RestBinding, input: Record<string, unknown>) {
  const fields = { ...input };
  const path = rest.path.replace(/\{(\w+)\}/g, (_, n: string) => {
    const v = String(fields[n]);
    delete fields[n];
    return encodeURIComponent(v);
  });
  if (rest.method === 'GET') {
    const q = new URLSearchParams(Object.entries(fields).map(([k, v]) => [k, String(v)]));
    return { path: q.size ? `${path}?${q}` : path, body: undefined };
  }
  const body = rest.bodyField ? fields[rest.bodyField] : op.input === NoInput ? undefined : fields;
  return { path, body };
}

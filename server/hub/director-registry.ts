// Which directors the hub talks to: LVS_AGENTS's (read-only) and those admins added (stored, editable). Adding,
// editing or removing one connects, reconnects or disconnects its link at once.
import type { DirectorConfigInput, DirectorConfigPatch, DirectorConfigView } from '../../lib/api/director-config';
import { ApiError } from '../../lib/errors';
import type { AgentEndpoint } from './agent-link-types';
import type { Hub } from './hub';
import type { DirectorStore, StoredDirector } from './store/directors';

const trustOf = (d: { url: string; fingerprint?: string; ca?: string }): DirectorConfigView['trust'] =>
  d.fingerprint ? 'fingerprint' : d.ca ? 'ca' : d.url.startsWith('https:') ? 'system' : 'none';

export class DirectorRegistry {
  private readonly fromEnv: Map<string, AgentEndpoint>;

  constructor(
    private readonly hub: Hub,
    private readonly store: DirectorStore,
    envAgents: readonly AgentEndpoint[],
  ) {
    this.fromEnv = new Map(envAgents.map((a) => [a.name, a]));
  }

  /** Connects every stored director (at start; the env ones are the hub's own). One whose token no longer opens
   * (the key file was replaced) or whose name LVS_AGENTS now uses is logged and left out. */
  connectStored(): void {
    for (const d of this.store.list()) {
      if (this.fromEnv.has(d.name)) {
        this.hub.log.warn(
          { director: d.name },
          `director ${d.name}: LVS_AGENTS names it too; the stored one is left out`,
        );
        continue;
      }
      try {
        const endpoint = this.store.endpoint(d.name);
        if (endpoint) this.hub.connect(endpoint);
      } catch (e) {
        this.hub.log.error(
          { director: d.name, err: e },
          `director ${d.name}: its stored token cannot be opened (was the key file replaced?): edit it to set the token again`,
        );
      }
    }
  }

  list(): DirectorConfigView[] {
    const env = [...this.fromEnv.values()].map((a): DirectorConfigView => ({
      name: a.name,
      url: a.url,
      source: 'env',
      trust: trustOf(a),
      ...(a.fingerprint ? { fingerprint: a.fingerprint } : {}),
    }));
    const stored = this.store
      .list()
      .filter((d) => !this.fromEnv.has(d.name))
      .map(view);
    return [...env, ...stored].sort((a, b) => a.name.localeCompare(b.name));
  }

  add(d: DirectorConfigInput, by: string): DirectorConfigView {
    if (this.fromEnv.has(d.name) || this.hub.links.has(d.name))
      throw new ApiError('conflict', `a director named ${d.name} exists`, { field: 'name' });
    const stored = this.store.add(d, by);
    this.reconnect(d.name);
    return view(stored);
  }

  update(p: DirectorConfigPatch): DirectorConfigView {
    this.editable(p.name);
    const stored = this.store.update(p);
    if (!stored) throw new ApiError('not_found', `no director named ${p.name}`, { field: 'name' });
    this.reconnect(p.name);
    return view(stored);
  }

  remove(name: string): void {
    this.editable(name);
    if (!this.store.remove(name)) throw new ApiError('not_found', `no director named ${name}`, { field: 'name' });
    this.hub.disconnect(name);
  }

  private editable(name: string): void {
    if (this.fromEnv.has(name))
      throw new ApiError('forbidden', `director ${name} comes from LVS_AGENTS: change it there`, { field: 'name' });
  }

  private reconnect(name: string): void {
    this.hub.disconnect(name);
    const endpoint = this.store.endpoint(name);
    if (endpoint) this.hub.connect(endpoint);
  }
}

function view(d: StoredDirector): DirectorConfigView {
  return {
    name: d.name,
    url: d.url,
    source: 'registry',
    trust: trustOf(d),
    ...(d.fingerprint ? { fingerprint: d.fingerprint } : {}),
    createdAt: d.createdAt,
    createdBy: d.createdBy,
    updatedAt: d.updatedAt,
  };
}

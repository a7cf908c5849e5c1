// Lets the page render the current director list on the server, so the first HTML already tells the truth.
// Next.js runs the page in this process but from its own bundled copy of this module, so the source lives on
// globalThis under a registered symbol instead of in a module variable.
import type { DirectorSummary } from '../../lib/events';

export type DirectorSource = () => DirectorSummary[];

const KEY = Symbol.for('lvs-dashboard.director-source');
const slot = globalThis as { [KEY]?: DirectorSource };

export function setDirectorSource(source: DirectorSource | undefined): void {
  slot[KEY] = source;
}

/** The directors as the dashboard server sees them now; null when the page is not served by the dashboard server. */
export function readDirectors(): DirectorSummary[] | null {
  return slot[KEY]?.() ?? null;
}

// The agent's read cadence in words, for the director page: the configured interval, or, when reads overran it, the
// stretched interval and why (server/agent/tick-loop.ts).
export interface TickFacts {
  tickMs: number;
  lastTickMs?: number | null;
  stretched?: boolean;
}

const seconds = (ms: number) => `${+(ms / 1000).toFixed(1)} s`;

export function tickText(t: TickFacts): string {
  if (t.stretched && t.lastTickMs != null)
    return `ticks every ${seconds(t.lastTickMs + t.tickMs)} (stretched: a read takes ${seconds(t.lastTickMs)})`;
  return `ticks every ${seconds(t.tickMs)}`;
}

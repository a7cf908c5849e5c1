// When a director's numbers stop being live. The agent pushes its table at least once a tick (1 s); no update for
// this long means stale. The hub judges each agent link by it (server/hub/agent-link.ts) and each page what it
// received (components/realtime/hooks.ts), so the server and the browser call a director stale at the same age.
export const STALE_AFTER_MS = 2500;

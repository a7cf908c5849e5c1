// The session cookie and who a request (HTTP or Socket.IO handshake) comes from.
import type { IncomingMessage } from 'node:http';
import { BlockList, isIP } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { SessionUser } from '../../../lib/roles';
import { MAX_AGE_MS, type Session, type SessionStore } from '../../hub/auth/sessions';
import type { User, UserStore } from '../../hub/auth/users';

export const SESSION_COOKIE = 'lvs_session';

export interface Identity {
  session: Session;
  user: User;
}

export interface RequestPolicy {
  /** Reverse proxies (addresses or subnets like 10.0.0.0/24) whose X-Forwarded-For / X-Forwarded-Proto are believed,
   * only on requests that come straight from one of them. */
  trustedProxies: readonly string[];
  /** Origins allowed besides the request's own (`https://lvs.example.net`), for a proxy that rewrites Host. */
  extraOrigins: readonly string[];
}

export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0) {
      try {
        out.set(part.slice(0, i).trim(), decodeURIComponent(part.slice(i + 1).trim()));
      } catch {
        // a malformed cookie is ignored like an absent one
      }
    }
  }
  return out;
}

/** The stores a session is checked against. */
export interface Accounts {
  sessions: SessionStore;
  users: UserStore;
}

export function identify(hub: Accounts, headers: IncomingMessage['headers']): Identity | undefined {
  const token = parseCookies(headers.cookie).get(SESSION_COOKIE);
  if (!token) return undefined;
  const session = hub.sessions.byToken(token);
  const user = session && hub.users.byId(session.userId);
  return session && user ? { session, user } : undefined;
}

/** Re-checks a session by id (for long-lived Socket.IO connections): revoked or expired sessions end here. */
export function reidentify(hub: Accounts, sessionId: string): Identity | undefined {
  const session = hub.sessions.byId(sessionId);
  const user = session && hub.users.byId(session.userId);
  return session && user ? { session, user } : undefined;
}

export function sessionUser(u: User): SessionUser {
  return { name: u.name, role: u.role };
}

/** Whether `address` is one of the trusted proxies; addresses and subnets were validated by loadConfig. */
function isTrustedProxy(address: string | undefined, policy: RequestPolicy): boolean {
  if (!address || policy.trustedProxies.length === 0) return false;
  const list = new BlockList();
  for (const p of policy.trustedProxies) {
    const [net = '', bits] = p.split('/');
    const family = isIP(net) === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) list.addAddress(net, family);
    else list.addSubnet(net, Number(bits), family);
  }
  return list.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');
}

export function isHttps(req: IncomingMessage, policy: RequestPolicy): boolean {
  if ((req.socket as TLSSocket).encrypted) return true;
  if (!isTrustedProxy(req.socket.remoteAddress, policy)) return false;
  // The proxy nearest to us appends its own view last.
  return (
    String(req.headers['x-forwarded-proto'] ?? '')
      .split(',')
      .at(-1)
      ?.trim() === 'https'
  );
}

/** The client's address: the peer, or, when the peer is a trusted proxy, the rightmost X-Forwarded-For entry that
 * is not a trusted proxy itself. Entries left of it were written by the client and prove nothing. */
export function clientAddress(req: IncomingMessage, policy: RequestPolicy): string {
  const peer = req.socket.remoteAddress;
  if (!isTrustedProxy(peer, policy)) return peer ?? 'unknown';
  const hops = String(req.headers['x-forwarded-for'] ?? '')
    .split(',')
    .map((h) => h.trim())
    .filter((h) => isIP(h) !== 0);
  for (let i = hops.length - 1; i >= 0; i--) if (!isTrustedProxy(hops[i], policy)) return hops[i] as string;
  return hops[0] ?? peer ?? 'unknown';
}

export function sessionCookie(token: string, secure: boolean): string {
  return `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${MAX_AGE_MS / 1000}${secure ? '; Secure' : ''}`;
}

export function clearedCookie(secure: boolean): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0${secure ? '; Secure' : ''}`;
}

/** A browser request from another site is refused: the Origin (sent by browsers on every cross-origin request and
 * on every POST and WebSocket) must be this dashboard's own. Requests without Origin come from non-browser clients,
 * which cannot carry a victim's cookie. */
export function originAllowed(req: IncomingMessage, policy: RequestPolicy): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return req.headers['sec-fetch-site'] !== 'cross-site';
  if (origin === 'null') return false;
  const own = `${isHttps(req, policy) ? 'https' : 'http'}://${req.headers.host ?? ''}`;
  return origin === own || policy.extraOrigins.includes(origin);
}

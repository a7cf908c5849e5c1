// The session cookie and who a request (HTTP or Socket.IO handshake) comes from.
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { SessionUser } from '../../../lib/roles';
import type { Session } from '../../hub/auth/sessions';
import { MAX_AGE_MS } from '../../hub/auth/sessions';
import type { User } from '../../hub/auth/users';
import type { Hub } from '../../hub/hub';

export const SESSION_COOKIE = 'lvs_session';

export interface Identity {
  session: Session;
  user: User;
}

export interface RequestPolicy {
  /** Trust X-Forwarded-For / X-Forwarded-Proto (the dashboard runs behind a reverse proxy). */
  trustProxy: boolean;
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

export function identify(hub: Hub, headers: IncomingMessage['headers']): Identity | undefined {
  const token = parseCookies(headers.cookie).get(SESSION_COOKIE);
  if (!token) return undefined;
  const session = hub.sessions.byToken(token);
  const user = session && hub.users.byId(session.userId);
  return session && user ? { session, user } : undefined;
}

/** Re-checks a session by id (for long-lived Socket.IO connections): revoked or expired sessions end here. */
export function reidentify(hub: Hub, sessionId: string): Identity | undefined {
  const session = hub.sessions.byId(sessionId);
  const user = session && hub.users.byId(session.userId);
  return session && user ? { session, user } : undefined;
}

export function sessionUser(u: User): SessionUser {
  return { name: u.name, role: u.role };
}

export function isHttps(req: IncomingMessage, policy: RequestPolicy): boolean {
  if ((req.socket as TLSSocket).encrypted) return true;
  return (
    policy.trustProxy &&
    String(req.headers['x-forwarded-proto'] ?? '')
      .split(',')[0]
      ?.trim() === 'https'
  );
}

export function clientAddress(req: IncomingMessage, policy: RequestPolicy): string {
  const fwd = policy.trustProxy
    ? String(req.headers['x-forwarded-for'] ?? '')
        .split(',')[0]
        ?.trim()
    : '';
  return fwd || req.socket.remoteAddress || 'unknown';
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

// Why the hub cannot use a director's agent, told apart from the error a connection attempt ends with: refused,
// DNS, timeout, TLS (with the certificate's subject, read by a second handshake that does not verify), wrong token.
import { connect as tlsConnect, type PeerCertificate } from 'node:tls';
import type { DirectorProblem } from '../../lib/events';

export type Problem = Omit<DirectorProblem, 'since'>;

const TLS_REASONS: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'certificate not trusted',
  SELF_SIGNED_CERT_IN_CHAIN: 'certificate not trusted',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'certificate not trusted',
  UNABLE_TO_GET_ISSUER_CERT: 'certificate not trusted',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'certificate not trusted',
  CERT_UNTRUSTED: 'certificate not trusted',
  CERT_SIGNATURE_FAILURE: 'certificate not trusted',
  CERT_HAS_EXPIRED: 'certificate expired',
  CERT_NOT_YET_VALID: 'certificate not valid yet',
  ERR_TLS_CERT_ALTNAME_INVALID: 'certificate does not name this host',
  ERR_TLS_CERT_NOT_PINNED: 'certificate is not the pinned one',
};

/** The innermost error with a code: socket.io-client wraps transport errors (TransportError.description.error).
 * `refused`: the agent answered the websocket upgrade 401, which it does only for a missing or wrong token. */
function cause(e: unknown): { code?: string; message: string; refused: boolean } {
  let cur = e as { code?: unknown; message?: unknown; description?: unknown; error?: unknown } | undefined;
  let refused = false;
  for (let depth = 0; cur && depth < 4; depth++) {
    if (typeof cur.code === 'string') return { code: cur.code, message: String(cur.message ?? cur.code), refused };
    if (typeof cur.message === 'string' && /Unexpected server response: 401\b/.test(cur.message)) refused = true;
    cur = (cur.description ?? cur.error) as typeof cur;
  }
  return { message: e instanceof Error ? e.message : String(e), refused };
}

export function classifyConnectError(e: unknown, url: string): Problem {
  const { host } = new URL(url);
  const { code, message, refused } = cause(e);
  if (refused || /^unauthorized/i.test(message))
    return { kind: 'token', message: "wrong token: the agent refused this dashboard's token" };
  if (message === 'timeout' || code === 'ETIMEDOUT')
    return { kind: 'timeout', message: `no answer from ${host} in time` };
  switch (code) {
    case 'ECONNREFUSED':
      return { kind: 'refused', message: `connection refused by ${host} (is the agent running and listening there?)` };
    case 'ENOTFOUND':
      return { kind: 'dns', message: `DNS: ${new URL(url).hostname} does not resolve` };
    case 'EAI_AGAIN':
      return { kind: 'dns', message: `DNS: no answer for ${new URL(url).hostname} (temporary failure)` };
    case 'ECONNRESET':
      return {
        kind: 'network',
        message: `connection reset by ${host}${url.startsWith('http:') ? ' (does the agent serve TLS? then use https://)' : ''}`,
      };
  }
  if (code && (code in TLS_REASONS || /^ERR_(SSL|TLS)_/.test(code))) {
    return { kind: 'tls', message: `TLS: ${TLS_REASONS[code] ?? 'handshake failed'} (${message})` };
  }
  return { kind: 'network', message: code ? `${message} (${code})` : message };
}

function subjectText(cert: PeerCertificate): string {
  const parts = Object.entries(cert.subject ?? {}).map(
    ([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : String(v)}`,
  );
  return parts.join(', ') || 'no subject';
}

/** The subject of the certificate an https agent presents, without trusting it (bounded: one handshake, 5 s). */
export function peerCertificateSubject(url: string, timeoutMs = 5000): Promise<string | null> {
  const u = new URL(url);
  if (u.protocol !== 'https:') return Promise.resolve(null);
  return new Promise((resolve) => {
    const done = (s: string | null) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(s);
    };
    const port = Number(u.port || 443);
    const host = u.hostname.replace(/^\[|\]$/g, '');
    const socket = tlsConnect(
      { host, port, servername: /^[\d.:]+$/.test(host) ? undefined : host, rejectUnauthorized: false },
      () => done(subjectText(socket.getPeerCertificate())),
    );
    socket.on('error', () => done(null));
    const timer = setTimeout(() => done(null), timeoutMs);
  });
}

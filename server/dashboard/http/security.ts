// Headers every page and API answer carries, and which Host names the server answers to.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isIP } from 'node:net';
import { API_POLICY, pagePolicy } from '../../../lib/csp';

const COMMON = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
};

/** API answers: no script may run in them and nothing may frame them. */
export function setApiHeaders(res: ServerResponse): void {
  for (const [k, v] of Object.entries({ ...COMMON, 'content-security-policy': API_POLICY })) res.setHeader(k, v);
}

/** Pages: a fresh nonce per request, on the response and on the request (where Next.js looks for it). A policy a
 * client sent is replaced. */
export function setPageHeaders(req: IncomingMessage, res: ServerResponse, dev: boolean): void {
  const policy = pagePolicy(randomBytes(16).toString('base64'), dev);
  delete req.headers['content-security-policy-report-only'];
  req.headers['content-security-policy'] = policy;
  for (const [k, v] of Object.entries({ ...COMMON, 'content-security-policy': policy })) res.setHeader(k, v);
}

/** The host names (lower case, no port) of this dashboard: the listen address, loopback names, and the hosts of the
 * configured extra origins. Any IP literal is accepted too: DNS rebinding needs a name the attacker controls. */
export function allowedHosts(hostname: string, extraOrigins: readonly string[]): Set<string> {
  const hosts = new Set(['localhost', hostname.toLowerCase()]);
  for (const o of extraOrigins) hosts.add(new URL(o).hostname.toLowerCase());
  return hosts;
}

/** Whether the request's Host header names this dashboard (see allowedHosts). */
export function hostAllowed(req: IncomingMessage, hosts: ReadonlySet<string>): boolean {
  let name: string;
  try {
    name = new URL(`http://${req.headers.host ?? ''}`).hostname.toLowerCase();
  } catch {
    return false;
  }
  if (name === '') return false;
  const bare = name.startsWith('[') ? name.slice(1, -1) : name;
  return hosts.has(name) || isIP(bare) !== 0;
}

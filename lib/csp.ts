// The Content-Security-Policy of the dashboard's pages and API answers. The custom server puts the page policy, with
// a fresh nonce, on the request (Next.js reads the nonce from the request's CSP header and puts it on its own
// scripts; the root layout reads it for the theme script) and on the response.

/** Scripts only with this request's nonce (and what they load); no plugins, no framing, no foreign form targets.
 * Next.js dev mode evaluates code for hot reloading: 'unsafe-eval' there only. */
export function pagePolicy(nonce: string, dev: boolean): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ''}`,
    // React sets style attributes (bar widths, chart sizes): inline styles, never inline scripts.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** JSON, CSV and rules files: nothing in them may run or be framed. */
export const API_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** The nonce of a policy's script-src, as Next.js finds it. */
export function nonceOf(policy: string | null | undefined): string | undefined {
  const scripts = (policy ?? '').split(';').find((d) => d.trim().startsWith('script-src'));
  return /'nonce-([A-Za-z0-9+/_-]+={0,2})'/.exec(scripts ?? '')?.[1];
}

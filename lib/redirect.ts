// Where the login page sends the browser after sign-in. Browsers read `/\host`, `/<TAB>/host` and `//host` as another
// site, so `next` is resolved the way the browser will resolve it and kept only when it stays on this origin.

/** The same-origin path (with query and fragment) that `next` leads to from `origin`, or '/' for anything else. */
export function sameOriginPath(next: string | null | undefined, origin: string): string {
  if (!next?.startsWith('/')) return '/';
  let own: URL;
  let target: URL;
  try {
    own = new URL(origin);
    target = new URL(next, own);
  } catch {
    return '/';
  }
  return target.origin === own.origin ? `${target.pathname}${target.search}${target.hash}` : '/';
}

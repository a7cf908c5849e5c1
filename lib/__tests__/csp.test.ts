import { describe, expect, it } from 'vitest';
import { nonceOf, pagePolicy } from '../csp';

describe('page Content-Security-Policy', () => {
  it('allows scripts by nonce only, eval only in dev, and no framing', () => {
    const prod = pagePolicy('bm9uY2U=', false);
    expect(prod).toContain("script-src 'self' 'nonce-bm9uY2U=' 'strict-dynamic';");
    expect(prod).not.toContain('unsafe-eval');
    expect(prod).toContain("frame-ancestors 'none'");
    expect(pagePolicy('bm9uY2U=', true)).toMatch(/script-src [^;]*'unsafe-eval'/);
  });

  it('gives back the nonce the way Next.js finds it', () => {
    expect(nonceOf(pagePolicy('a+b/c9==', false))).toBe('a+b/c9==');
    expect(nonceOf("default-src 'self'")).toBeUndefined();
  });
});

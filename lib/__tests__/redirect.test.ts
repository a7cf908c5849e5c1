import { describe, expect, it } from 'vitest';
import { sameOriginPath } from '../redirect';

const ORIGIN = 'http://127.0.0.1:3000';

describe('where sign-in leads', () => {
  it.each([
    ['/\\evil.example/', 'a backslash the browser reads as a slash'],
    ['/\t/evil.example', 'a tab the URL parser drops'],
    ['//evil.example/x', 'a protocol-relative URL'],
    ['/\\/evil.example', 'slash, backslash, slash'],
    ['https://evil.example/', 'an absolute URL'],
    ['javascript:alert(1)', 'a script URL'],
    ['', 'nothing'],
  ])('%j (%s) leads home', (next) => {
    expect(sameOriginPath(next, ORIGIN)).toBe('/');
  });

  it('keeps a path of this dashboard with its query and fragment', () => {
    expect(sameOriginPath('/directors/lab/services/tcp%2F10.1.0.10%3A80?tab=conns#top', ORIGIN)).toBe(
      '/directors/lab/services/tcp%2F10.1.0.10%3A80?tab=conns#top',
    );
    expect(sameOriginPath('/history', ORIGIN)).toBe('/history');
  });
});

import { describe, expect, it } from 'vitest';
import { passwordProblem } from '../password-strength';

describe('password strength', () => {
  it('refuses the account name, common passwords and repeats, saying why', () => {
    expect(passwordProblem('viewer1234', 'viewer1234')).toMatch(/^too easy to guess: .*personal/);
    expect(passwordProblem('password12', 'ann')).toMatch(/^too easy to guess: this is a commonly used password/);
    expect(passwordProblem(' '.repeat(10), 'ann')).toMatch(/^too easy to guess: repeated characters/i);
    expect(passwordProblem('short', 'ann')).toBe('must be at least 10 characters');
  });

  it('accepts a passphrase of uncommon words', () => {
    expect(passwordProblem('maple lantern orbit 42', 'ann')).toBeUndefined();
  });
});

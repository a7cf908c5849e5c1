// How hard a password is to guess, estimated with zxcvbn-ts (common passwords, dictionary words, keyboard patterns,
// repeats, and the account's own name). One rule for the API, the user CLI, the first-admin variable and the UI.
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary as commonWords } from '@zxcvbn-ts/language-common';
import { dictionary as englishWords, translations } from '@zxcvbn-ts/language-en';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from './roles';

/** zxcvbn's 0-4 scale: 3 is "safely unguessable" (about 10^8 guesses or more). */
export const MIN_PASSWORD_SCORE = 3;

let estimator: ZxcvbnFactory | undefined;
/** Built on first use: ranking the dictionaries takes a moment. */
function zxcvbn(): ZxcvbnFactory {
  estimator ??= new ZxcvbnFactory({
    dictionary: { ...commonWords, ...englishWords },
    graphs: adjacencyGraphs,
    translations,
  });
  return estimator;
}

const sentence = (s: string) => s.replace(/\.$/, '').replace(/^./, (c) => c.toLowerCase());

/** Why `password` is not acceptable for the account `userName` (without the field name), or undefined when it is. */
export function passwordProblem(password: string, userName: string): string | undefined {
  if (password.length < MIN_PASSWORD_LENGTH) return `must be at least ${MIN_PASSWORD_LENGTH} characters`;
  if (password.length > MAX_PASSWORD_LENGTH) return `must be at most ${MAX_PASSWORD_LENGTH} characters`;
  const { score, feedback } = zxcvbn().check(password, [userName, 'lvs', 'dashboard', 'lvs-dashboard', 'ipvs']);
  if (score >= MIN_PASSWORD_SCORE) return undefined;
  const why = [feedback.warning, ...feedback.suggestions].filter((s): s is string => !!s).map(sentence);
  return `too easy to guess${why.length ? `: ${why.join('; ')}` : ''}`;
}

// A clock for tests: it stands still until the test moves it, so a test about time (session expiry, staleness)
// moves it past a limit instead of sleeping or patching Date.
import type { Clock } from '../clock';

export class FakeClock implements Clock {
  constructor(private t = Date.now()) {}

  readonly now = (): number => this.t;

  advance(ms: number): void {
    this.t += ms;
  }
}

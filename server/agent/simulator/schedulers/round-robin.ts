// rr and wrr: schedulers that remember where they stopped in the real-server list.
import { available, type DestEvent, type SchedDest, type Scheduler } from './types';

/** Round robin: the next available real server after the last one picked, wrapping around the list. */
export class RoundRobin implements Scheduler {
  /** Index of the last pick in the list; -1 is the list head (before the first real server). */
  private last = -1;

  pick(dests: readonly SchedDest[]): SchedDest | undefined {
    const n = dests.length;
    for (let step = 1; step <= n; step++) {
      const i = (this.last + step) % n;
      const d = dests[i] as SchedDest;
      if (available(d)) {
        this.last = i;
        return d;
      }
    }
    return undefined;
  }

  changed(_dests: readonly SchedDest[], e: DestEvent): void {
    // A new real server goes in at the head, before the saved position; a removed one at or before it moves it back.
    if (e.kind === 'add' && this.last >= 0) this.last++;
    if (e.kind === 'del' && e.index <= this.last) this.last--;
  }
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/**
 * Weighted round robin as the kernel does it: a current weight `cw` starts at the largest weight and drops by the
 * weights' greatest common divisor each time the walk wraps; a real server is picked when its weight reaches `cw`.
 * With weights 1:3 (B=3 listed after A=1) that gives B B A B, repeating. Any change to the real servers restarts the
 * walk at the head and keeps `cw` where it can.
 */
export class WeightedRoundRobin implements Scheduler {
  private index = -1;
  private cw = 0;
  private mw = 0;
  private di = 1;

  constructor(dests: readonly SchedDest[]) {
    this.recompute(dests);
    this.cw = this.mw;
  }

  private recompute(dests: readonly SchedDest[]): void {
    const positive = dests.map((d) => d.weight).filter((w) => w > 0);
    this.di = positive.length ? positive.reduce(gcd) : 1;
    this.mw = Math.max(0, ...dests.map((d) => d.weight)) - (this.di - 1);
  }

  pick(dests: readonly SchedDest[]): SchedDest | undefined {
    if (this.mw <= 0 || dests.length === 0) return undefined;
    const startedAtHead = this.index === -1;
    const last = this.index;
    let lastPass = false;
    let restarted = false;
    let stop = -2;
    let i = this.index;
    for (;;) {
      for (i = i + 1; i < dests.length; i++) {
        const d = dests[i] as SchedDest;
        if (!d.overloaded && d.weight >= this.cw) {
          this.index = i;
          return d;
        }
        if (i === stop) return undefined;
      }
      i = -1;
      this.cw -= this.di;
      if (this.cw <= 0) {
        this.cw = this.mw;
        // Every real server has been tried at the lowest weight: nothing is available.
        if (lastPass || startedAtHead) return undefined;
        restarted = true;
      }
      lastPass = this.cw <= this.di;
      if (lastPass && restarted && !startedAtHead) stop = last;
    }
  }

  changed(dests: readonly SchedDest[]): void {
    this.index = -1;
    this.recompute(dests);
    if (this.cw > this.mw || this.cw === 0) this.cw = this.mw;
    else if (this.di > 1) this.cw = Math.floor(this.cw / this.di) * this.di + 1;
  }
}

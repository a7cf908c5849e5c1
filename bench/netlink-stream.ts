// The stream native/ipvs-dump.c prints for syntheticSeed(services, dests) (bench/lab-netlink.ts's table), in its
// format (the records of lib/ipvs/__fixtures__/lab/netlink/*.jsonl): services in a scrambled order, as the kernel's
// hash table gives them. `moved(s)` is how far service s's counters (and its real servers') moved since the first read.
import { IPVS_DUMP_VERSION } from '../lib/ipvs';

const counters = (n: number) => `${n},${n * 7},${n * 6},${n * 560},${n * 4800},0,${n % 3},0,${n % 5},0`;

export function syntheticStream(services: number, dests: number, moved: (s: number) => number = () => 0): string {
  const lines = [`["ipvs-dump",${IPVS_DUMP_VERSION}]`];
  // a fixed permutation (multiplier coprime with the count): the kernel's dump order is its hash table's
  let step = 7919;
  while (gcd(step, services) !== 1) step++;
  for (let i = 0; i < services; i++) {
    const s = (i * step) % services;
    const m = moved(s);
    const block = `${100 + Math.floor(s / 250)}.${s % 250}`;
    lines.push(`["svc",2,6,"10.${block}.1",80,0,"wrr",2,0,"255.255.255.255","",${counters(s + m)}]`);
    for (let d = 0; d < dests; d++)
      lines.push(
        `["dest",2,"10.${100 + Number(block.split('.')[0])}.${s % 250}.${d + 1}",80,0,${d + 1},0,0,${d},${s % 17},` +
          `0,0,0,0,${counters(s + d + m)}]`,
      );
  }
  lines.push('["timeouts",900,120,300]');
  lines.push(`["end",${services},${services * dests}]`);
  return lines.join('\n') + '\n';
}

function gcd(a: number, b: number): number {
  return b ? gcd(b, a % b) : a;
}

// The tables a simulated director starts with. `demo` holds the classic set-ups of the LVS guides on the lab's
// addresses: NAT with wrr 1:3, direct routing with rr, an IP tunnel, a UDP service, persistent client connections
// (PCC: port 0, one real server per client for every port) and a firewall-mark service grouping 443 and 8443.
import { readFileSync } from 'node:fs';

export const DEMO_SEED = `-A -t 10.1.0.10:80 -s wrr
-a -t 10.1.0.10:80 -r 10.2.0.11:80 -m -w 1
-a -t 10.1.0.10:80 -r 10.2.0.12:80 -m -w 3
-A -t 10.1.0.10:8080 -s rr
-a -t 10.1.0.10:8080 -r 10.1.0.21:8080 -g -w 1
-a -t 10.1.0.10:8080 -r 10.1.0.22:8080 -g -w 1
-A -t 10.1.0.10:8081 -s wlc
-a -t 10.1.0.10:8081 -r 10.3.0.31:8081 -i -w 2 --tun-type ipip
-a -t 10.1.0.10:8081 -r 10.3.0.32:8081 -i -w 1 --tun-type ipip
-A -u 10.1.0.10:53 -s rr
-a -u 10.1.0.10:53 -r 10.2.0.11:53 -m -w 1
-a -u 10.1.0.10:53 -r 10.2.0.12:53 -m -w 1
-A -t 10.1.0.20:0 -s wlc -p 600
-a -t 10.1.0.20:0 -r 10.1.0.21:0 -g -w 1
-a -t 10.1.0.20:0 -r 10.1.0.22:0 -g -w 1
-A -f 1 -s sh -p 120
-a -f 1 -r 10.2.0.11:0 -m -w 1
-a -f 1 -r 10.2.0.12:0 -m -w 1
`;

/** Where a fwmark service's packets go in the demo: the firewall marks 10.1.0.10:443 and :8443 with mark 1. */
export const DEMO_FWMARK_TARGETS: Record<number, { address: string; ports: number[] }> = {
  1: { address: '10.1.0.10', ports: [443, 8443] },
};

/** `demo`, `empty`, or a file of `ipvsadm -S -n` rules. */
export function seedText(seed: string): string {
  if (seed === 'demo') return DEMO_SEED;
  if (seed === 'empty') return '';
  return readFileSync(seed, 'utf8');
}

/** `services` wrr TCP services on port 80 with `dests` NAT real servers each, weights 1..dests: a large director. */
export function syntheticSeed(services: number, dests: number): string {
  const rules: string[] = [];
  for (let s = 0; s < services; s++) {
    const vip = `10.${100 + Math.floor(s / 250)}.${s % 250}.1`;
    rules.push(`-A -t ${vip}:80 -s wrr`);
    for (let d = 0; d < dests; d++)
      rules.push(`-a -t ${vip}:80 -r 10.${200 + Math.floor(s / 250)}.${s % 250}.${d + 1}:80 -m -w ${d + 1}`);
  }
  return rules.join('\n') + '\n';
}

// fast-check generators of valid models (what a kernel could hold), shared by the property tests.
import fc from 'fast-check';
import { canonicalIP, type Destination, type Service } from '..';

const v4 = fc.ipV4();
const v6 = fc.ipV6().map(canonicalIP);

/** A real server of a `family` service: tunnel ones may be of the other family (the kernel allows that). */
function arbDestination(family: 4 | 6, port: fc.Arbitrary<number>): fc.Arbitrary<Destination> {
  const base = fc.record({
    address: family === 4 ? v4 : v6,
    otherFamily: fc.option(family === 4 ? v6 : v4, { nil: undefined, freq: 3 }),
    port,
    weight: fc.integer({ min: 0, max: 65535 }),
    upperThreshold: fc.option(fc.integer({ min: 1, max: 100000 }), { nil: undefined }),
    lowerThreshold: fc.option(fc.integer({ min: 1, max: 100000 }), { nil: undefined }),
  });
  const tunnel = fc.oneof(
    fc.constant({ tunnelType: 'ipip' as const }),
    fc.record({
      tunnelType: fc.constant('gue' as const),
      tunnelPort: fc.integer({ min: 1, max: 65535 }),
      tunnelChecksum: fc.constantFrom('nocsum' as const, 'csum' as const, 'remcsum' as const),
    }),
    fc.record({
      tunnelType: fc.constant('gre' as const),
      tunnelChecksum: fc.constantFrom('nocsum' as const, 'csum' as const),
    }),
  );
  const fwd = fc.oneof(
    fc.record({ forward: fc.constantFrom('masq' as const, 'route' as const) }),
    tunnel.map((t) => ({ forward: 'tunnel' as const, ...t })),
  );
  return fc.tuple(base, fwd).map(([b, f]) => {
    const address = f.forward === 'tunnel' ? (b.otherFamily ?? b.address) : b.address;
    const d: Destination = {
      address,
      port: b.port,
      forward: f.forward,
      weight: b.weight,
      activeConns: 0,
      inactiveConns: 0,
    };
    if (b.upperThreshold !== undefined && b.lowerThreshold !== undefined && b.lowerThreshold <= b.upperThreshold) {
      d.upperThreshold = b.upperThreshold;
      d.lowerThreshold = b.lowerThreshold;
    }
    return { ...d, ...f };
  });
}

const scheduling = fc.oneof(
  fc.record({
    scheduler: fc.constantFrom('rr', 'wrr', 'lc', 'wlc', 'lblc', 'lblcr', 'dh', 'sed', 'nq', 'fo', 'ovf'),
    flags: fc.constant([] as string[]),
  }),
  fc.record({ scheduler: fc.constant('sh'), flags: fc.subarray(['sh-fallback', 'sh-port']) }),
  fc.record({ scheduler: fc.constant('mh'), flags: fc.subarray(['mh-fallback', 'mh-port']) }),
);

export function arbService(): fc.Arbitrary<Service> {
  return fc
    .record({
      kind: fc.constantFrom('tcp', 'udp', 'sctp', 'fwmark'),
      family: fc.constantFrom(4 as const, 6 as const),
      sched: scheduling,
      persistent: fc.option(fc.integer({ min: 1, max: 86400 }), { nil: undefined }),
      mask: fc.boolean(),
      ops: fc.boolean(),
      pe: fc.boolean(),
      fwmark: fc.integer({ min: 1, max: 2 ** 32 - 1 }),
      port: fc.integer({ min: 1, max: 65535 }),
    })
    .chain((r) => {
      const addr = r.family === 4 ? v4 : v6;
      const destPort = r.kind === 'fwmark' ? fc.constant(0) : fc.integer({ min: 0, max: 65535 });
      return fc.tuple(
        fc.constant(r),
        addr,
        fc.uniqueArray(arbDestination(r.family, destPort), { maxLength: 4, selector: (d) => `${d.address}:${d.port}` }),
      );
    })
    .map(([r, address, generated]) => {
      // ipvsadm gives a direct-routing or tunnel real server its service's port (a fwmark service keeps them as given)
      const seen = new Set<string>();
      const destinations = generated
        .map((d) => (r.kind === 'fwmark' || d.forward === 'masq' ? d : { ...d, port: r.port }))
        .filter((d) => !seen.has(`${d.address}:${d.port}`) && seen.add(`${d.address}:${d.port}`));
      const s: Service =
        r.kind === 'fwmark'
          ? {
              protocol: 'fwmark',
              fwmark: r.fwmark,
              scheduler: r.sched.scheduler,
              flags: r.sched.flags,
              ops: r.ops,
              destinations,
            }
          : {
              protocol: r.kind,
              address,
              port: r.port,
              scheduler: r.sched.scheduler,
              flags: r.sched.flags,
              ops: r.ops,
              destinations,
            };
      if (r.kind === 'fwmark' && r.family === 6) s.ipv6 = true;
      if (r.persistent !== undefined) {
        s.persistent = r.persistent;
        if (r.mask) s.netmask = r.family === 4 ? '255.255.255.0' : '64';
        if (r.pe && r.kind === 'udp') s.pe = 'sip';
      }
      return s;
    });
}

// Tables the kernel holds that the parsers once refused (issue #11): fwmarks of 2^31 and more, which ipvsadm prints
// as negative numbers, and tunnel real servers of the other address family than their service. All from the lab's
// `edge.*` captures.
import { describe, expect, it } from 'vitest';
import {
  editArgv,
  listingToServices,
  mergeListing,
  parseListing,
  parseProcServices,
  parseSave,
  renderKeepalived,
  renderSave,
  serviceId,
  serviceKey,
  validateEdit,
  type Service,
} from '..';
import { fixture } from './fixtures';

const ids = (services: readonly Service[]) => services.map((s) => serviceId(serviceKey(s)));
const EDGE_IDS = [
  'tcp/10.1.0.10:9100',
  'tcp/[2001:db8:1::10]:9100',
  'fwmark/2147483648',
  'fwmark6/3000000000',
  'fwmark/4294967295',
];

describe('fwmarks of 2^31 and more', () => {
  it('reads the negative marks of every -Ln listing as the unsigned marks the kernel holds', () => {
    expect(ids(listingToServices(parseListing(fixture('edge.Ln.txt'))))).toEqual(EDGE_IDS);
    const tun = listingToServices(parseListing(fixture('edge.Ln-tun-info.txt')));
    expect(ids(tun)).toEqual(EDGE_IDS);
    for (const name of [
      'edge.Ln-stats.txt',
      'edge.Ln-rate.txt',
      'edge.Ln-thresholds.txt',
      'edge.Ln-persistent-conn.txt',
    ]) {
      const slice = parseListing(fixture(name));
      expect(slice.services.map((s) => s.fwmark).filter(Boolean), name).toEqual([2147483648, 3000000000, 4294967295]);
      expect(ids(mergeListing(tun, slice)), name).toEqual(EDGE_IDS);
    }
    const thresholds = mergeListing(tun, parseListing(fixture('edge.Ln-thresholds.txt')));
    expect(thresholds.find((s) => s.fwmark === 4294967295)?.destinations[0]).toMatchObject({
      upperThreshold: 10,
      lowerThreshold: 5,
    });
  });

  it('reads the -Sn capture (negative marks) into the same table as the -Ln --tun-info listing', () => {
    const listed = listingToServices(parseListing(fixture('edge.Ln-tun-info.txt')));
    expect(parseSave(fixture('edge.Sn.txt'))).toEqual(listed);
  });

  it('reads /proc/net/ip_vs hex marks, and no tunnel real server decides a fwmark service family', () => {
    const proc = parseProcServices(fixture('edge.proc-ip_vs.txt'));
    expect(new Set(ids(proc))).toEqual(new Set(EDGE_IDS));
  });

  it('renders marks unsigned, as ipvsadm -R and keepalived take them', () => {
    const listed = listingToServices(parseListing(fixture('edge.Ln-tun-info.txt')));
    const rules = renderSave(listed);
    expect(rules).toMatch(/^-A -f 2147483648 -s rr$/m);
    expect(rules).toMatch(/^-A -f 3000000000 -6 -s rr$/m);
    expect(rules).not.toMatch(/-f -/);
    expect(editArgv({ kind: 'delete-service', service: { protocol: 'fwmark', fwmark: 4294967295 } })).toEqual([
      '-D',
      '-f',
      '4294967295',
    ]);
    expect(renderKeepalived(listed)).toMatch(/^virtual_server fwmark 2147483648 \{$/m);
  });
});

describe('tunnel real servers of the other address family', () => {
  const listed = () => listingToServices(parseListing(fixture('edge.Ln-tun-info.txt')));

  it('renders them to exactly the lines ipvsadm -Sn printed (marks unsigned)', () => {
    const kernel = fixture('edge.Sn.txt').replace(/-f -(\d+)/g, (_, n: string) => `-f ${2 ** 32 - Number(n)}`);
    expect(new Set(renderSave(listed()).split('\n'))).toEqual(new Set(kernel.split('\n')));
  });

  it('writes them into keepalived.conf as real servers of their service', () => {
    const conf = renderKeepalived(listed());
    const block = (header: string) =>
      conf.slice(conf.indexOf(`${header} {`), conf.indexOf('\n}\n', conf.indexOf(`${header} {`)));
    expect(block('virtual_server 10.1.0.10 9100')).toMatch(
      /real_server 2001:db8:3::32 9100 \{\n\s+weight 1\n\s+lvs_method TUN type gue port 6080\n/,
    );
    expect(block('virtual_server 2001:db8:1::10 9100')).toMatch(/real_server 10\.3\.0\.31 9100 \{/);
  });

  it('accepts them as edits for tunnels only, and names the field for other methods', () => {
    const v4 = { protocol: 'tcp', address: '10.1.0.10', port: 9100 } as const;
    const v6Tunnel = { address: '2001:db8:3::31', port: 9100, forward: 'tunnel', weight: 1 } as const;
    expect(editArgv({ kind: 'add-destination', service: v4, destination: v6Tunnel })).toEqual([
      '-a',
      '-t',
      '10.1.0.10:9100',
      '-r',
      '[2001:db8:3::31]:9100',
      '-i',
      '-w',
      '1',
      '--tun-type',
      'ipip',
    ]);
    const mark = { protocol: 'fwmark', fwmark: 3000000000, ipv6: true } as const;
    expect(() =>
      validateEdit({
        kind: 'add-destination',
        service: mark,
        destination: { address: '10.3.0.31', port: 0, forward: 'tunnel', weight: 1 },
      }),
    ).not.toThrow();
    expect(() =>
      validateEdit({ kind: 'delete-destination', service: v4, destination: { address: '2001:db8:3::31', port: 9100 } }),
    ).not.toThrow();
    for (const forward of ['masq', 'route'] as const) {
      expect(() =>
        validateEdit({ kind: 'add-destination', service: v4, destination: { ...v6Tunnel, forward } }),
      ).toThrow(
        expect.objectContaining({
          field: 'destination.address',
          message: "destination.address: must be IPv4 like the service's address",
        }),
      );
    }
  });
});

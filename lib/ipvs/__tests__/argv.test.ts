import { describe, expect, it } from 'vitest';
import { ApiError } from '../../errors';
import { editArgv } from '..';

const web = { protocol: 'tcp', address: '10.1.0.10', port: 80 } as const;
const svc = { ...web, scheduler: 'wrr', flags: [], ops: false } as const;

describe('edit → ipvsadm argv', () => {
  it.each([
    [{ kind: 'add-service', service: svc }, ['-A', '-t', '10.1.0.10:80', '-s', 'wrr']],
    [
      {
        kind: 'edit-service',
        service: { ...svc, scheduler: 'sh', flags: ['sh-port'], persistent: 100, netmask: '255.255.0.0' },
      },
      ['-E', '-t', '10.1.0.10:80', '-s', 'sh', '-p', '100', '-M', '255.255.0.0', '-b', 'sh-port'],
    ],
    [
      {
        kind: 'add-service',
        service: {
          protocol: 'udp',
          address: '2001:db8::1',
          port: 5060,
          scheduler: 'mh',
          flags: ['mh-fallback'],
          ops: true,
          persistent: 200,
          pe: 'sip',
        },
      },
      ['-A', '-u', '[2001:db8::1]:5060', '-s', 'mh', '-p', '200', '--pe', 'sip', '-o', '-b', 'mh-fallback'],
    ],
    [
      {
        kind: 'add-service',
        service: { protocol: 'fwmark', fwmark: 7, ipv6: true, scheduler: 'rr', flags: [], ops: false },
      },
      ['-A', '-f', '7', '-6', '-s', 'rr'],
    ],
    [
      {
        kind: 'add-service',
        service: { protocol: 'sctp', address: '10.0.0.1', port: 3868, scheduler: 'rr', flags: [], ops: false },
      },
      ['-A', '--sctp-service', '10.0.0.1:3868', '-s', 'rr'],
    ],
    [{ kind: 'delete-service', service: web }, ['-D', '-t', '10.1.0.10:80']],
    [
      {
        kind: 'add-destination',
        service: web,
        destination: {
          address: '10.2.0.11',
          port: 80,
          forward: 'masq',
          weight: 3,
          upperThreshold: 100,
          lowerThreshold: 10,
        },
      },
      ['-a', '-t', '10.1.0.10:80', '-r', '10.2.0.11:80', '-m', '-w', '3', '-x', '100', '-y', '10'],
    ],
    [
      {
        kind: 'edit-destination',
        service: web,
        destination: {
          address: '10.3.0.1',
          port: 80,
          forward: 'tunnel',
          weight: 1,
          tunnelType: 'gue',
          tunnelPort: 6080,
          tunnelChecksum: 'remcsum',
        },
      },
      [
        '-e',
        '-t',
        '10.1.0.10:80',
        '-r',
        '10.3.0.1:80',
        '-i',
        '-w',
        '1',
        '--tun-type',
        'gue',
        '--tun-port',
        '6080',
        '--tun-remcsum',
      ],
    ],
    [
      { kind: 'delete-destination', service: web, destination: { address: '10.2.0.11', port: 80 } },
      ['-d', '-t', '10.1.0.10:80', '-r', '10.2.0.11:80'],
    ],
    [{ kind: 'set-timeouts', timeouts: { tcp: 900, tcpfin: 120, udp: 300 } }, ['--set', '900', '120', '300']],
    [{ kind: 'zero' }, ['-Z']],
    [{ kind: 'zero', service: { protocol: 'fwmark', fwmark: 1 } }, ['-Z', '-f', '1']],
    [
      {
        kind: 'start-daemon',
        daemon: {
          state: 'backup',
          mcastInterface: 'eth1',
          syncId: 7,
          maxlen: 1400,
          group: '224.0.0.82',
          port: 8850,
          ttl: 2,
        },
      },
      [
        '--start-daemon',
        'backup',
        '--mcast-interface',
        'eth1',
        '--syncid',
        '7',
        '--sync-maxlen',
        '1400',
        '--mcast-group',
        '224.0.0.82',
        '--mcast-port',
        '8850',
        '--mcast-ttl',
        '2',
      ],
    ],
    [{ kind: 'stop-daemon', state: 'master' }, ['--stop-daemon', 'master']],
  ])('%j', (edit, argv) => {
    expect(editArgv(edit)).toEqual(argv);
  });
});

describe('validation names the field and the reason', () => {
  const dest = { address: '10.2.0.11', port: 80, forward: 'masq', weight: 1 };
  it.each([
    [
      { kind: 'add-service', service: { ...svc, address: '10.1.0.300' } },
      'service.address',
      /not an IPv4 or IPv6 address/,
    ],
    [
      { kind: 'add-service', service: { ...svc, address: '10.1.0.1; rm -rf /' } },
      'service.address',
      /not an IPv4 or IPv6 address/,
    ],
    [{ kind: 'add-service', service: { ...svc, port: 65536 } }, 'service.port', /65535/],
    [{ kind: 'add-service', service: { ...svc, scheduler: 'foo' } }, 'service.scheduler', /./],
    [
      { kind: 'add-service', service: { ...svc, flags: ['sh-port'] } },
      'service.flags',
      /not a flag of the wrr scheduler/,
    ],
    [
      { kind: 'add-service', service: { ...svc, netmask: '255.255.255.0' } },
      'service.netmask',
      /only with persistence/,
    ],
    [
      { kind: 'add-service', service: { ...svc, persistent: 10, netmask: '255.0.255.0' } },
      'service.netmask',
      /contiguous/,
    ],
    [{ kind: 'add-service', service: { ...svc, port: 0 } }, 'service.port', /needs persistence/],
    [
      { kind: 'add-service', service: { protocol: 'fwmark', fwmark: 2 ** 32, scheduler: 'rr', flags: [], ops: false } },
      'service.fwmark',
      /./,
    ],
    [
      { kind: 'add-service', service: { protocol: 'fwmark', fwmark: 0, scheduler: 'rr', flags: [], ops: false } },
      'service.fwmark',
      /./,
    ],
    [{ kind: 'add-service', service: { ...svc, pe: 'sip' } }, 'service.pe', /needs persistence/],
    [{ kind: 'add-destination', service: web, destination: { ...dest, weight: 65536 } }, 'destination.weight', /./],
    [{ kind: 'add-destination', service: web, destination: { ...dest, weight: -1 } }, 'destination.weight', /./],
    [
      { kind: 'add-destination', service: web, destination: { ...dest, address: '2001:db8::1' } },
      'destination.address',
      /must be IPv4 like the service/,
    ],
    [
      { kind: 'add-destination', service: { protocol: 'fwmark', fwmark: 1, ipv6: true }, destination: dest },
      'destination.address',
      /must be IPv6 like the fwmark service/,
    ],
    [
      { kind: 'add-destination', service: web, destination: { ...dest, port: 8080, forward: 'route' } },
      'destination.port',
      /must be 80, the service's port: a direct-routing real server/,
    ],
    [
      { kind: 'edit-destination', service: web, destination: { ...dest, port: 8080, forward: 'tunnel' } },
      'destination.port',
      /must be 80, the service's port: a tunnel real server/,
    ],
    [
      { kind: 'add-destination', service: web, destination: { ...dest, tunnelType: 'gre' } },
      'destination.tunnelType',
      /need forward "tunnel"/,
    ],
    [
      { kind: 'add-destination', service: web, destination: { ...dest, forward: 'tunnel', tunnelType: 'gue' } },
      'destination.tunnelPort',
      /required for a gue tunnel/,
    ],
    [
      {
        kind: 'add-destination',
        service: web,
        destination: { ...dest, forward: 'tunnel', tunnelType: 'gre', tunnelChecksum: 'remcsum' },
      },
      'destination.tunnelChecksum',
      /gue tunnels only/,
    ],
    [
      { kind: 'add-destination', service: web, destination: { ...dest, upperThreshold: 5, lowerThreshold: 9 } },
      'destination.lowerThreshold',
      /above the upper/,
    ],
    [{ kind: 'add-destination', service: web, destination: { ...dest, forward: 'local' } }, 'destination.forward', /./],
    [{ kind: 'set-timeouts', timeouts: { tcp: -1, tcpfin: 0, udp: 0 } }, 'timeouts.tcp', /./],
    [{ kind: 'start-daemon', daemon: { state: 'primary', mcastInterface: 'lo', syncId: 1 } }, 'daemon.state', /./],
    [{ kind: 'flush' }, 'kind', /./],
  ])('%j → %s', (edit, field, reason) => {
    let err: unknown;
    try {
      editArgv(edit);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).field).toBe(field);
    expect((err as ApiError).reason).toMatch(reason);
  });

  it.each(['eth0 --syncid 9', 'a/b', 'eth0:1', '..', '.', '-x', 'x'.repeat(16), '', 'eth\u00e9'])(
    'sync daemon interface %j is refused as no interface name',
    (mcastInterface) => {
      const edit = { kind: 'start-daemon', daemon: { state: 'backup', mcastInterface, syncId: 1 } } as const;
      expect(() => editArgv(edit)).toThrow(
        expect.objectContaining({
          field: 'daemon.mcastInterface',
          reason: expect.stringMatching(/must be a network interface name/),
        }),
      );
    },
  );
});

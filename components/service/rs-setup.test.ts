import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parseSave, type Service } from '@/lib/ipvs';
import { rsSetupFor } from './rs-setup';

const table = parseSave(`-A -t 10.1.0.10:8080 -s rr
-a -t 10.1.0.10:8080 -r 10.1.0.21:8080 -g -w 1
-A -t 10.1.0.10:8081 -s rr
-a -t 10.1.0.10:8081 -r 10.3.0.31:8081 -i -w 1
-A -t 10.1.0.10:8082 -s rr
-a -t 10.1.0.10:8082 -r 10.3.0.32:8082 -i --tun-type gue --tun-port 6080 -w 1
-A -t 10.1.0.10:80 -s wrr
-a -t 10.1.0.10:80 -r 10.2.0.11:80 -m -w 1
-A -f 1 -s sh
-a -f 1 -r 10.1.0.22:0 -g -w 1
`);
const svc = (port: number) => table.find((s) => s.port === port) as Service;
const fwmark = table.find((s) => s.protocol === 'fwmark') as Service;
const none = { vips: '', gateway: '' };
const syntaxOk = (script: string) => spawnSync('sh', ['-n'], { input: script }).status === 0;

describe('"Set up this real server"', () => {
  it('gives a DR real server the dr script for its service VIP, with its undo, both valid sh', () => {
    const { setup } = rsSetupFor(svc(8080), svc(8080).destinations[0]!, none);
    expect(setup?.command).toBe('lvs-agent rs-setup --mode dr --vip 10.1.0.10');
    expect(setup?.script).toContain("add_addr '10.1.0.10/32' lo");
    expect(setup?.script).toContain('arp_ignore');
    expect(setup?.undo).toContain('--undo');
    expect(syntaxOk(setup!.script) && syntaxOk(setup!.undo)).toBe(true);
  });

  it('follows the tunnel type of a TUN real server', () => {
    expect(rsSetupFor(svc(8081), svc(8081).destinations[0]!, none).setup?.command).toBe(
      'lvs-agent rs-setup --mode tun --vip 10.1.0.10',
    );
    const gue = rsSetupFor(svc(8082), svc(8082).destinations[0]!, none).setup;
    expect(gue?.command).toBe('lvs-agent rs-setup --mode tun --vip 10.1.0.10 --tun-type gue --tun-port 6080');
    expect(gue?.script).toContain("ip fou add port '6080' gue");
  });

  it("explains NAT's gateway, checking the director's address when given and refusing a bad one", () => {
    const d = svc(80).destinations[0]!;
    expect(rsSetupFor(svc(80), d, none).setup?.script).toContain('its default gateway must be');
    expect(rsSetupFor(svc(80), d, { vips: '', gateway: '10.2.0.1' }).setup?.command).toBe(
      'lvs-agent rs-setup --mode nat --vip 10.1.0.10 --gateway 10.2.0.1',
    );
    expect(rsSetupFor(svc(80), d, { vips: '', gateway: 'router' }).error).toEqual({
      field: 'gateway',
      message: 'not an IPv4 or IPv6 address',
    });
  });

  it('asks for the VIPs of a fwmark service, which has no address of its own', () => {
    const d = fwmark.destinations[0]!;
    expect(rsSetupFor(fwmark, d, none).error).toEqual({
      field: 'vips',
      message: '--mode dr needs at least one --vip',
    });
    expect(rsSetupFor(fwmark, d, { vips: '10.1.0.10, 10.1.0.11', gateway: '' }).setup?.command).toBe(
      'lvs-agent rs-setup --mode dr --vip 10.1.0.10 --vip 10.1.0.11',
    );
    expect(rsSetupFor(fwmark, d, { vips: '10.1.0.300', gateway: '' }).error?.field).toBe('vips');
  });
});

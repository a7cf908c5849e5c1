import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSave, renderKeepalived, renderSave, serviceId, serviceKey } from '..';
import { importKeepalived } from '../keepalived-import';

const FULL = readFileSync(join(__dirname, '..', '__fixtures__', 'keepalived', 'full.conf'), 'utf8');
const full = importKeepalived(FULL);
const lineOf = (text: string) => FULL.split('\n').findIndex((l) => l.includes(text)) + 1;
const checksOf = (sid: string) => full.health.services.find((s) => serviceId(s.service) === sid);

describe('importKeepalived on a configuration using every keyword', () => {
  it('builds the table keepalived would: groups expanded, ports and methods as keepalived sets them', () => {
    expect(renderSave(full.services)).toBe(
      [
        '-A -t 10.1.0.20:80 -s rr',
        '-a -t 10.1.0.20:80 -r 10.2.0.11:80 -g -w 5',
        '-A -t 10.1.0.21:80 -s rr',
        '-a -t 10.1.0.21:80 -r 10.2.0.11:80 -g -w 5',
        '-A -t 10.1.0.22:80 -s rr',
        '-a -t 10.1.0.22:80 -r 10.2.0.11:80 -g -w 5',
        '-A -f 7 -s rr',
        '-a -f 7 -r 10.2.0.11:0 -g -w 5',
        '-A -t 10.1.0.10:80 -s wlc -p 300 -M 255.255.255.0',
        '-a -t 10.1.0.10:80 -r 10.2.0.11:8080 -m -w 3 -x 100 -y 10',
        '-a -t 10.1.0.10:80 -r 10.2.0.12:8080 -m -w 2',
        '-A -f 5 -s sh -p 360 -b sh-port',
        '-a -f 5 -r 10.2.0.13:0 -i -w 1 --tun-type gue --tun-port 6080 --tun-csum',
        '-A -u 10.1.0.53:53 -s lc -o',
        '-a -u 10.1.0.53:53 -r 10.2.0.21:53 -g -w 1',
        '-a -u 10.1.0.53:53 -r 10.2.0.22:53 -m -w 0',
        '',
      ].join('\n'),
    );
  });

  it('turns HTTP_GET into an http check with path, statuses, port, Host, timeout and fall from retries', () => {
    const svc = checksOf('tcp/10.1.0.10:80');
    expect(svc?.destinations[0]?.check).toEqual({
      check: {
        type: 'http',
        path: '/health',
        status: [200, { from: 301, to: 302 }],
        host: 'www.example.com',
        verifyTls: false,
        reuseConnection: false,
      },
      intervalMs: 5000,
      timeoutMs: 2000,
      rise: 2,
      fall: 4,
      retryIntervalMs: 1000,
      startState: 'up',
      warmupMs: 0,
      port: 8081,
      onFailure: 'quiesce',
    });
    expect(svc?.destinations[1]?.check.check).toEqual({
      type: 'https',
      path: '/ready',
      status: [{ from: 200, to: 299 }],
      verifyTls: false,
      reuseConnection: false,
    });
    expect(svc?.sorryServer).toEqual({ address: '10.2.0.99', port: 8080, forward: 'masq', weight: 1 });
    expect(svc?.quorum).toEqual({
      minWeight: 2,
      hysteresis: 1,
      onLost: ['/usr/local/bin/down.sh'],
      onRegained: ['/usr/local/bin/up.sh', 'regained'],
    });
  });

  it('turns TCP_CHECK, MISC_CHECK and DNS_CHECK into tcp, command and dns checks (remove on failure by default)', () => {
    const tcp = checksOf('tcp/10.1.0.21:80')?.destinations[0]?.check;
    expect(tcp).toMatchObject({
      check: { type: 'tcp' },
      intervalMs: 10000,
      timeoutMs: 3000,
      fall: 3,
      retryIntervalMs: 1000,
      onFailure: 'remove',
    });
    expect(checksOf('fwmark/5')?.destinations[0]?.check).toMatchObject({
      check: { type: 'command', argv: ['/usr/local/bin/check.sh', '--deep'], dynamicWeight: true },
      intervalMs: 60000,
      timeoutMs: 4000,
    });
    expect(checksOf('udp/10.1.0.53:53')?.destinations).toEqual([
      expect.objectContaining({
        destination: { address: '10.2.0.21', port: 53 },
        check: expect.objectContaining({
          check: { type: 'dns', name: 'www.example.com', queryType: 'AAAA', rcode: ['NOERROR'] },
        }),
      }),
    ]);
  });

  it('lists every line it cannot express, by line number, with the reason', () => {
    expect(full.notImported.map((n) => [n.line, n.text.split(' ')[0]])).toEqual([
      [lineOf('global_defs'), 'global_defs'],
      [lineOf('include'), 'include'],
      [lineOf('digest'), 'digest'],
      [lineOf('connect_timeout 1') - 1, 'TCP_CHECK'],
      [lineOf('SMTP_CHECK'), 'SMTP_CHECK'],
      [lineOf('vrrp_instance'), 'vrrp_instance'],
    ]);
    expect(full.notImported.find((n) => n.text.startsWith('digest'))?.reason).toMatch(/digest/);
  });

  // ipwrapper.c update_quorum_state: keepalived swaps the sorry server in for the live real servers once the quorum
  // is lost; lib/health/plan.ts does the same with the imported quorum
  it('imports a sorry server with its quorum and hysteresis', () => {
    const conf = (quorum: string) =>
      `virtual_server 10.1.0.10 80 {\n  sorry_server 10.2.0.99 80\n${quorum}  real_server 10.2.0.11 80 {\n  }\n}\n`;
    const r = importKeepalived(conf('  quorum 3\n  hysteresis 1\n'));
    expect(r.notImported).toEqual([]);
    expect(r.health.services[0]).toMatchObject({
      sorryServer: { address: '10.2.0.99', port: 80, weight: 1 },
      quorum: { minWeight: 3, hysteresis: 1 },
    });
  });
});

describe('importKeepalived', () => {
  const checkOf = (checker: string, body = '', rs = '', vs = '') =>
    importKeepalived(
      `virtual_server 10.1.0.10 53 {\n  protocol UDP\n${vs}  real_server 10.2.0.11 53 {\n${rs}    ${checker} {\n${body}    }\n  }\n}\n`,
    ).health.services[0]?.destinations[0]?.check;
  const misc = '      misc_path /bin/true\n';

  // keepalived 2.2.7 check_api.c: retry defaults to 1, check_misc.c sets MISC_CHECK's to 0 and check_dns.c DNS_CHECK's
  // to DNS_DEFAULT_RETRY (3); a retry of the real server (or its virtual server) replaces each checker's default
  it("takes each checker's own retry default: fall 2 for HTTP_GET and TCP_CHECK, 1 for MISC_CHECK, 4 for DNS_CHECK", () => {
    expect(checkOf('HTTP_GET')?.fall).toBe(2);
    expect(checkOf('TCP_CHECK')?.fall).toBe(2);
    expect(checkOf('MISC_CHECK', misc)?.fall).toBe(1);
    expect(checkOf('DNS_CHECK')?.fall).toBe(4);
    expect(checkOf('DNS_CHECK', '', '    retry 0\n')?.fall).toBe(1);
    expect(checkOf('MISC_CHECK', misc, '    retry 2\n')?.fall).toBe(3);
  });

  // check_api.c: a retry waits delay_before_retry (the checker's, else its real server's or virtual server's, else
  // 1 s; check_http.c 3 s for HTTP_GET/SSL_GET; check_dns.c the delay loop), not delay_loop
  it("retries after keepalived's delay_before_retry: set on any level, else each checker's default", () => {
    expect(checkOf('HTTP_GET')?.retryIntervalMs).toBe(3000);
    expect(checkOf('SSL_GET')?.retryIntervalMs).toBe(3000);
    expect(checkOf('TCP_CHECK')?.retryIntervalMs).toBe(1000);
    expect(checkOf('DNS_CHECK')).not.toHaveProperty('retryIntervalMs');
    expect(checkOf('MISC_CHECK', misc)).not.toHaveProperty('retryIntervalMs'); // retry 0: nothing to retry
    expect(checkOf('TCP_CHECK', '      delay_before_retry 2.5\n')?.retryIntervalMs).toBe(2500);
    expect(checkOf('HTTP_GET', '', '    delay_before_retry 0.5\n')?.retryIntervalMs).toBe(500);
    expect(checkOf('DNS_CHECK', '', '', '  delay_before_retry 4\n')?.retryIntervalMs).toBe(4000);
    const r = importKeepalived(
      'virtual_server 10.1.0.10 80 {\n  real_server 10.2.0.11 80 {\n    TCP_CHECK {\n      delay_before_retry 0\n    }\n  }\n}\n',
    );
    expect(r.health.services[0]?.destinations[0]?.check.retryIntervalMs).toBe(100);
    expect(r.notImported).toEqual([
      { line: 3, text: 'TCP_CHECK {', reason: 'delay_before_retry 0s: our retries wait at least 0.1s' },
    ]);
  });

  // keepalived 2.2.7 check_http.c epilog(): after a failure the first good GET only clears failed_url; the next one
  // (a delay loop later) calls update_svr_checker_state(UP). check_tcp.c, check_misc.c, check_dns.c: the first pass
  it('brings HTTP_GET and SSL_GET real servers back after 2 passes, the other checkers after 1', () => {
    expect(checkOf('HTTP_GET')?.rise).toBe(2);
    expect(checkOf('SSL_GET')?.rise).toBe(2);
    expect(checkOf('TCP_CHECK')?.rise).toBe(1);
    expect(checkOf('MISC_CHECK', misc)?.rise).toBe(1);
    expect(checkOf('DNS_CHECK')?.rise).toBe(1);
  });

  it('gives the table back from our own export (round trip)', () => {
    const table = parseSave(
      [
        '-A -t 10.1.0.10:443 -s wlc -p 300 -M 255.255.255.0',
        '-a -t 10.1.0.10:443 -r 10.2.0.11:8443 -m -w 3 -x 100 -y 50',
        '-a -t 10.1.0.10:443 -r 10.2.0.12:8443 -m -w 0',
        '-A -t 10.1.0.11:80 -s mh -b mh-port',
        '-a -t 10.1.0.11:80 -r 10.2.0.13:80 -g -w 7',
        '-a -t 10.1.0.11:80 -r 10.2.0.14:80 -i -w 1',
        '-A -u [2001:db8::10]:53 -s rr -o',
        '-a -u [2001:db8::10]:53 -r [2001:db8::21]:53 -m -w 1',
        '-A -f 3 -6 -s sh -p 60 -M 64',
        '-a -f 3 -6 -r 10.2.0.15:0 -i -w 2 --tun-type gre --tun-csum',
        '-a -f 3 -6 -r 2001:db8::22:0 -g -w 4',
        '-A --sctp-service 10.1.0.12:5000 -s twos -p 120 --pe sip',
        '-a --sctp-service 10.1.0.12:5000 -r 10.2.0.16:5000 -i -w 1 --tun-type gue --tun-port 6080 --tun-remcsum',
        '',
      ].join('\n'),
    );
    const back = importKeepalived(renderKeepalived(table));
    expect(renderSave(back.services)).toBe(renderSave(table));
    expect(back.notImported).toEqual([]);
  });

  it('expands an IPv6 range and refuses one it cannot read, by line', () => {
    const r = importKeepalived(
      'virtual_server_group g {\n  2001:db8::a-c 80\n  10.0.0.9-3 80\n}\nvirtual_server group g {\n real_server 2001:db8::1 80 {\n }\n}\n',
    );
    expect(r.services.map((s) => serviceId(serviceKey(s)))).toEqual([
      'tcp/[2001:db8::a]:80',
      'tcp/[2001:db8::b]:80',
      'tcp/[2001:db8::c]:80',
    ]);
    expect(r.notImported).toEqual([
      { line: 3, text: '10.0.0.9-3 80', reason: 'virtual_server_group entry: range end "3" is not 9..255' },
    ]);
  });

  it('refuses a file standing for more services and real servers than the cap, naming the line', () => {
    const conf =
      'virtual_server_group g {\n  10.0.0.1-200 80\n}\nvirtual_server group g {\n real_server 10.2.0.1 80 {\n }\n}\n';
    expect(importKeepalived(conf, 400).services).toHaveLength(200);
    expect(() => importKeepalived(conf, 399)).toThrow('line 2: more than 399 services and real servers');
    expect(() => importKeepalived(conf, 100)).toThrow('line 2: groups of more than 100 services');
  });

  it('names the line and field of a value our schemas refuse', () => {
    expect(() =>
      importKeepalived('virtual_server 10.1.0.10 80 {\n  real_server 10.2.0.300 80 {\n    weight 1\n  }\n}\n'),
    ).toThrow('line 2: real_server.address: not an IPv4 or IPv6 address: "real_server 10.2.0.300 80 {"');
    expect(() =>
      importKeepalived('virtual_server 10.1.0.10 80 {\n  real_server 10.2.0.3 80 {\n    weight 70000\n  }\n}\n'),
    ).toThrow(/line 2: real_server\.weight: /);
    expect(() =>
      importKeepalived(
        'virtual_server 10.1.0.10 80 {\n real_server 10.2.0.3 80 {\n  HTTP_GET {\n   url {\n    path nope\n   }\n  }\n }\n}\n',
      ),
    ).toThrow(/line 3: HTTP_GET\.check\.path: must start with "\/"/);
    expect(() =>
      importKeepalived('virtual_server 10.1.0.10 80 {\n  quorum 0\n  real_server 10.2.0.3 80 {\n  }\n}\n'),
    ).toThrow(/line 2: quorum\.minWeight: /);
  });

  it('reads quoted words, comments and a brace on its own line, and reports an unclosed block', () => {
    const r = importKeepalived(
      'virtual_server 10.1.0.10 80 # web\n{\n  lvs_sched "rr" ! round robin\n  real_server 10.2.0.3 80\n  {\n  }\n',
    );
    expect(r.services[0]).toMatchObject({ scheduler: 'rr', destinations: [{ address: '10.2.0.3', port: 80 }] });
    expect(r.notImported).toEqual([{ line: 7, text: '', reason: '1 block(s) not closed by "}"' }]);
  });
});

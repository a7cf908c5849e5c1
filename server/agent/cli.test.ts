import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from './cli';
import type { Io } from './commands/io';

const ROOT = join(__dirname, '..', '..');
const FIX = join(ROOT, 'lib/ipvs/__fixtures__/lab');
const BIN = join(ROOT, 'bin/lvs-agent.mjs');
const fixture = (n: string) => readFileSync(join(FIX, n), 'utf8');

async function run(args: string[], stdin = ''): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: Io = { stdin: () => stdin, out: (s) => void (out += s), err: (s) => void (err += s) };
  const code = await main(args, io);
  return { code, out, err };
}

describe('lvs-agent parse', () => {
  it.each([
    ['list', 'list.Ln.txt', 'services'],
    ['list', 'list.L.txt', 'services'],
    ['list', 'tuninfo.Ln-tun-info.txt', 'services'],
    ['stats', 'stats.Ln-stats.txt', 'services'],
    ['stats', 'stats-exact.Ln-stats-exact.txt', 'services'],
    ['rate', 'rate.Ln-rate.txt', 'services'],
    ['thresholds', 'thresholds.Ln-thresholds.txt', 'services'],
    ['persistent', 'persistent.Ln-persistent-conn.txt', 'services'],
    ['conns', 'conns.Lnc.txt', 'connections'],
    ['save', 'save.Sn.txt', 'services'],
    ['daemon', 'daemon-both.txt', 'daemons'],
    ['proc-ip_vs', 'proc-ip_vs.txt', 'services'],
    ['proc-conns', 'proc-ip_vs_conn.txt', 'connections'],
  ])('%s < %s prints {"%s": [...]}', async (kind, file, key) => {
    const r = await run(['parse', kind], fixture(file));
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out) as Record<string, unknown[]>;
    expect(Object.keys(json)).toEqual([key]);
    expect(json[key]?.length).toBeGreaterThan(0);
  });

  it('prints timeouts and proc stats as objects', async () => {
    expect(JSON.parse((await run(['parse', 'timeout'], fixture('timeout.L-timeout.txt'))).out)).toEqual({
      tcp: 900,
      tcpfin: 120,
      udp: 300,
    });
    expect(Object.keys(JSON.parse((await run(['parse', 'proc-stats'], fixture('proc-ip_vs_stats.txt'))).out))).toEqual([
      'stats',
      'rate',
    ]);
  });

  it('exits 1 with a one-line error on bad input, 2 on bad usage', async () => {
    const bad = await run(['parse', 'list'], 'not a listing\n');
    expect(bad.code).toBe(1);
    expect(bad.err.trim().split('\n')).toHaveLength(1);
    expect(bad.err).toMatch(/^lvs-agent parse list: line 1: /);
    const wrong = await run(['parse', 'list'], fixture('stats.Ln-stats.txt'));
    expect(wrong.code).toBe(1);
    expect(wrong.err).toMatch(/this is a stats listing/);
    expect((await run(['parse', 'nosuch'])).code).toBe(2);
    expect((await run(['bogus'])).code).toBe(2);
  });

  it('has --help on every command', async () => {
    for (const args of [['--help'], ['parse', '--help'], ['render', '--help']]) {
      const r = await run(args);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/^usage: lvs-agent/);
    }
  });
});

describe('lvs-agent render save', () => {
  it('names the bad field', async () => {
    const r = await run(
      ['render', 'save'],
      JSON.stringify({
        services: [
          {
            protocol: 'tcp',
            address: '10.0.0.1',
            port: 80,
            scheduler: 'rr',
            flags: [],
            ops: false,
            destinations: [
              { address: '10.0.0.2', port: 80, forward: 'masq', weight: 70000, activeConns: 0, inactiveConns: 0 },
            ],
          },
        ],
      }),
    );
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/services\[0\]\.destinations\[0\]\.weight/);
    expect((await run(['render', 'save'], '{')).err).toMatch(/input: not JSON/);
  });
});

describe('lvs-agent serve', () => {
  it('refuses plain http on an address other than loopback unless told --insecure-listen', async () => {
    const r = await run(['serve', '--listen', '0.0.0.0:7070']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(
      /--listen 0\.0\.0\.0: plain http only on loopback; give --tls-cert and --tls-key, or say --insecure-listen/,
    );
    // with TLS, or said out loud, the options pass (what follows needs the kernel, so compare the usage errors only)
    const loud = await run(['serve', '--listen', '0.0.0.0:7070', '--insecure-listen', '--tick', '5']);
    expect(loud.err).toMatch(/--tick/);
    const tls = await run(['serve', '--listen', '[::]:7070', '--tls-cert', 'c', '--tls-key', 'k', '--tick', '5']);
    expect(tls.err).toMatch(/--tick/);
  });
});

describe('the installed bin (bundled, no TypeScript compile per call)', () => {
  beforeAll(() => {
    execFileSync(process.execPath, [join(ROOT, 'scripts/build-agent.mjs')], { cwd: ROOT });
  }, 120_000); // the bundle and the .deb: seconds, more on a busy machine

  const pipeline = (listing: string): string => {
    const parsed = spawnSync(process.execPath, [BIN, 'parse', 'list'], { input: listing, encoding: 'utf8' });
    expect(parsed.status, parsed.stderr).toBe(0);
    const rendered = spawnSync(process.execPath, [BIN, 'render', 'save'], { input: parsed.stdout, encoding: 'utf8' });
    expect(rendered.status, rendered.stderr).toBe(0);
    return rendered.stdout;
  };
  const lineSet = (t: string) => new Set(t.split('\n').filter(Boolean));

  it('parse list | render save reproduces ipvsadm -Sn of the same kernel table, for every capture', () => {
    expect(lineSet(pipeline(fixture('tuninfo.Ln-tun-info.txt')))).toEqual(lineSet(fixture('save.Sn.txt')));
    expect(lineSet(pipeline(fixture('empty.Ln.txt')))).toEqual(lineSet(fixture('empty.Sn.txt')));
    // plain -Ln does not show gue/gre tunnel details: every other line matches
    const plain = lineSet(pipeline(fixture('list.Ln.txt')));
    const expected = [...lineSet(fixture('save.Sn.txt'))].filter((l) => !/--tun-type (gue|gre)/.test(l));
    for (const l of expected) expect(plain.has(l), l).toBe(true);
  });

  it('runs alone: dist/lvs-agent.mjs copied into an empty directory, with no node_modules reachable', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lvs-agent-alone-'));
    try {
      copyFileSync(join(ROOT, 'dist/lvs-agent.mjs'), join(dir, 'lvs-agent.mjs'));
      const env = { PATH: process.env.PATH, NODE_PATH: '', NODE_ENV: 'production' as const };
      const help = spawnSync(process.execPath, ['lvs-agent.mjs', '--help'], { cwd: dir, env, encoding: 'utf8' });
      expect(help.stderr).toBe('');
      expect(help.status).toBe(0);
      expect(help.stdout).toMatch(/^usage: lvs-agent <command>/);
      // serve loads socket.io, pino and zod before it checks the kernel
      const serve = spawnSync(process.execPath, ['lvs-agent.mjs', 'serve', '--help'], {
        cwd: dir,
        env,
        encoding: 'utf8',
      });
      expect(serve.status, serve.stderr).toBe(0);
      const parsed = spawnSync(process.execPath, ['lvs-agent.mjs', 'parse', 'save'], {
        cwd: dir,
        env,
        input: fixture('save.Sn.txt'),
        encoding: 'utf8',
      });
      expect(parsed.status, parsed.stderr).toBe(0);
      expect(JSON.parse(parsed.stdout)).toHaveProperty('services');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

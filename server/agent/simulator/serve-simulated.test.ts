import { io as connect } from 'socket.io-client';
import { describe, expect, it } from 'vitest';
import type { TableState } from '../../../lib/ipvs';
import { main } from '../cli';
import type { Io } from '../commands/io';

const TOKEN = 'simulated-test-token-0123456789';

describe('lvs-agent serve --simulated', () => {
  it('serves the demo director behind the real agent code, labelled simulated, until SIGTERM', async () => {
    let err = '';
    const io: Io = { stdin: () => '', out: () => undefined, err: (s) => void (err += s) };
    const done = main(['serve', '--simulated', '--listen', '127.0.0.1:0', '--token', TOKEN, '--tick', '200'], io);
    let url: string | undefined;
    for (let i = 0; i < 100 && !url; i++) {
      await new Promise((r) => setTimeout(r, 50));
      url = /SIMULATED director .* on (http:\/\/\S+)/.exec(err)?.[1];
    }
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const socket = connect(url ?? '', {
      extraHeaders: { authorization: `Bearer ${TOKEN}` },
      transports: ['websocket'],
    });
    const reply = await new Promise<{ ok: boolean; data?: TableState }>((resolve) =>
      socket.emit('table:subscribe', resolve),
    );
    socket.close();
    process.emit('SIGTERM');
    expect(await done).toBe(0);
    expect(reply.data?.simulated).toBe(true);
    expect(reply.data?.services.map((s) => s.scheduler)).toEqual(['wrr', 'rr', 'wlc', 'rr', 'wlc', 'sh']);
  });

  it('refuses --seed or --conns without --simulated, and a bad seed file, saying why', async () => {
    const run = async (args: string[]) => {
      let err = '';
      const code = await main(args, { stdin: () => '', out: () => undefined, err: (s) => void (err += s) });
      return { code, err };
    };
    expect(await run(['serve', '--seed', 'demo'])).toEqual({
      code: 2,
      err: 'lvs-agent serve: --seed needs --simulated\n',
    });
    expect((await run(['serve', '--simulated', '--conns', '-3'])).err).toMatch(/--conns: a whole number/);
    const missing = await run([
      'serve',
      '--simulated',
      '--seed',
      '/nonexistent/rules',
      '--token',
      TOKEN,
      '--listen',
      '127.0.0.1:0',
    ]);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/--simulated: ENOENT/);
  });

  it('takes the control surface, a large table and a load only with --simulated, and names what is wrong', async () => {
    const run = async (args: string[]) => {
      let err = '';
      const code = await main(args, { stdin: () => '', out: () => undefined, err: (s) => void (err += s) });
      return { code, err };
    };
    expect(await run(['serve', '--control-port', '0'])).toEqual({
      code: 2,
      err: 'lvs-agent serve: --control-port needs --simulated\n',
    });
    expect((await run(['serve', '--simulated', '--services', '5', '--seed', 'demo'])).err).toMatch(
      /--services replaces --seed/,
    );
    expect((await run(['serve', '--simulated', '--load', '{"rate":"fast"}'])).err).toMatch(
      /^lvs-agent serve: --load: /,
    );
    expect((await run(['serve', '--simulated', '--control-port', '70000'])).err).toMatch(
      /--control-port: a whole number, 0 to 65535/,
    );
  });
});

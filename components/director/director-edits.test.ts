import { describe, expect, it } from 'vitest';
import { checkDaemon, checkTimeouts, commandOf, outcomeText, timeoutsDraft, zeroEdit } from './director-edits';

describe('the Director panel: timeouts', () => {
  it('turns the three boxes into one ipvsadm --set, 0 leaving a timeout as it is', () => {
    const { edit, errors } = checkTimeouts({ tcp: '600', tcpfin: '0', udp: ' 300 ' });
    expect(errors).toEqual({});
    expect(edit).toEqual({ kind: 'set-timeouts', timeouts: { tcp: 600, tcpfin: 0, udp: 300 } });
    expect(commandOf(edit!)).toBe('ipvsadm --set 600 0 300');
  });

  it("starts from the kernel's values, and names each box that is not a whole number of seconds", () => {
    expect(timeoutsDraft({ tcp: 900, tcpfin: 120, udp: 300 })).toEqual({ tcp: '900', tcpfin: '120', udp: '300' });
    const { edit, errors } = checkTimeouts({ tcp: '15m', tcpfin: '', udp: '-1' });
    expect(edit).toBeUndefined();
    expect(errors).toEqual({
      tcp: 'TCP (established) timeout: a whole number',
      tcpfin: 'required: seconds (0 leaves it as it is)',
      udp: 'UDP timeout: a whole number',
    });
  });
});

describe('the Director panel: sync daemons and counters', () => {
  it('starts a daemon on an interface with a sync id, as ipvsadm --start-daemon', () => {
    const { edit, errors } = checkDaemon('backup', { mcastInterface: 'eth1', syncId: '7' });
    expect(errors).toEqual({});
    expect(commandOf(edit!)).toBe('ipvsadm --start-daemon backup --mcast-interface eth1 --syncid 7');
    expect(commandOf({ kind: 'stop-daemon', state: 'backup' })).toBe('ipvsadm --stop-daemon backup');
  });

  it('refuses an interface name ipvsadm could take for an option, and a sync id above 255', () => {
    const { edit, errors } = checkDaemon('master', { mcastInterface: '-C', syncId: '256' });
    expect(edit).toBeUndefined();
    expect(errors.mcastInterface).toMatch(/network interface name/);
    expect(errors.syncId).toBe('at most 255');
    expect(checkDaemon('master', { mcastInterface: '', syncId: '' }).errors).toEqual({
      mcastInterface: expect.stringMatching(/^required/),
      syncId: expect.stringMatching(/^required/),
    });
  });

  it('zeroes one service or all of them', () => {
    expect(commandOf(zeroEdit({ protocol: 'tcp', address: '10.1.0.10', port: 80 }))).toBe('ipvsadm -Z -t 10.1.0.10:80');
    expect(commandOf(zeroEdit())).toBe('ipvsadm -Z');
  });
});

describe('the Director panel: what the person is told after Apply', () => {
  it("says whether the director's re-read table shows the change; a zeroing has nothing to confirm", () => {
    const set = { kind: 'set-timeouts', timeouts: { tcp: 600, tcpfin: 0, udp: 0 } } as const;
    expect(outcomeText({ edit: set, confirmed: true })).toBe(
      "Done: ipvsadm --set 600 0 0 — the director's table, read again, shows it.",
    );
    expect(outcomeText({ edit: set, confirmed: false })).toMatch(/^ipvsadm accepted .* does not show it yet\.$/);
    expect(outcomeText({ edit: { kind: 'zero' }, confirmed: true })).toBe(
      'Done: ipvsadm -Z — the counters count again from 0.',
    );
  });
});

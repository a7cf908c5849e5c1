import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RS_MODES, RsSetupOptions, type RsSetupInput } from '../options';
import { rsSetupScript, shq } from '../script';

/** The script with every '...' span emptied (outside double quotes): what sh reads as code, not as data. */
function skeleton(script: string): string {
  let out = '';
  let dq = false;
  for (let i = 0; i < script.length; i++) {
    const c = script[i] as string;
    if (c === '\\' && !dq) {
      out += script.slice(i, i + 2);
      i++;
    } else if (c === "'" && !dq) {
      const end = script.indexOf("'", i + 1);
      out += "''";
      i = end;
    } else {
      if (c === '"') dq = !dq;
      out += c;
    }
  }
  return out;
}

const arbInput: fc.Arbitrary<RsSetupInput> = fc.record({
  mode: fc.constantFrom(...RS_MODES),
  vips: fc.uniqueArray(fc.oneof(fc.ipV4(), fc.ipV6()), { minLength: 1, maxLength: 4 }),
  tunnelType: fc.constantFrom('ipip' as const, 'gue' as const, 'gre' as const),
  tunnelPort: fc.integer({ min: 1, max: 65535 }),
  iface: fc.option(fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_-]{0,14}$/), { nil: undefined }),
  gateway: fc.option(fc.ipV4(), { nil: undefined }),
  undo: fc.boolean(),
});

/** The same shape of input with fixed values: its skeleton must be the same if no input reaches the code. */
function reference(o: RsSetupOptions): RsSetupOptions {
  return {
    ...o,
    vips: o.vips.map((_, i) => `10.0.0.${i + 1}`),
    tunnelPort: o.tunnelPort === undefined ? undefined : 1,
    iface: o.iface === undefined ? undefined : 'eth0',
    gateway: o.gateway === undefined ? undefined : '192.0.2.254',
  };
}

describe('rs-setup script', () => {
  it('quotes any value for sh', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const r = spawnSync('sh', ['-c', `printf %s ${shq(s.replace(/\0/g, ''))}`], { encoding: 'utf8' });
        expect(r.stdout).toBe(s.replace(/\0/g, ''));
      }),
      { numRuns: 40 },
    );
  });

  it('any accepted input yields a script sh -n accepts, whose code does not depend on the input', () => {
    fc.assert(
      fc.property(arbInput, (input) => {
        const o = RsSetupOptions.parse(input);
        const script = rsSetupScript(o);
        const check = spawnSync('sh', ['-n'], { input: script, encoding: 'utf8' });
        expect(check.stderr).toBe('');
        expect(check.status).toBe(0);
        expect(skeleton(script)).toBe(skeleton(rsSetupScript(reference(o))));
      }),
      { numRuns: 60 },
    );
  });

  it('rejects a VIP, interface or mode with shell in it, naming the field', () => {
    const bad = (over: Partial<RsSetupInput>) =>
      RsSetupOptions.safeParse({ mode: 'dr', vips: ['10.1.0.10'], ...over }).error?.issues.map((i) => i.path[0]);
    expect(bad({ vips: ['10.1.0.10; reboot'] })).toEqual(['vips']);
    expect(bad({ vips: ['$(id)'] })).toEqual(['vips']);
    expect(bad({ iface: "eth0'; rm -rf /;'" })).toEqual(['iface']);
    expect(bad({ mode: 'dr`id`' as 'dr' })).toEqual(['mode']);
    expect(bad({ vips: [] })).toEqual(['vips']);
    expect(bad({ mode: 'tun', tunnelType: 'gue' })).toEqual(['tunnelPort']);
  });

  it('DR puts each VIP on lo as a host address and sets arp_ignore/arp_announce persistently', () => {
    const s = rsSetupScript(RsSetupOptions.parse({ mode: 'dr', vips: ['10.1.0.10', '2001:db8::1'] }));
    expect(s).toContain("add_addr '10.1.0.10/32' lo");
    expect(s).toContain("add_addr '2001:db8::1/128' lo");
    expect(s).toContain('set_sysctl "net.ipv4.conf.$dev.arp_ignore" 1');
    expect(s).toContain('set_sysctl "net.ipv4.conf.$dev.arp_announce" 2');
    expect(s).toContain('ExecStart=ip addr replace 10.1.0.10/32 dev lo');
  });
});

import { describe, expect, it } from 'vitest';
import { importKeepalived } from '../keepalived-import';
import { scriptArgv } from '../keepalived-script';

/** A virtual server whose real server has a MISC_CHECK with this misc_path line (line 4). */
const withMiscPath = (line: string) =>
  importKeepalived(
    `virtual_server 10.1.0.10 80 {\n  real_server 10.2.0.11 80 {\n    MISC_CHECK {\n      ${line}\n    }\n  }\n}\n`,
  );
const argvOf = (line: string) => {
  const check = withMiscPath(line).health.services[0]?.destinations[0]?.check.check;
  return check?.type === 'command' ? check.argv : undefined;
};

describe('misc_path as keepalived turns it into argv', () => {
  it('keeps a quoted argument with blanks as one argument (single quotes inside the double-quoted command)', () => {
    expect(argvOf(`misc_path "/usr/local/bin/check -H 'www example' --port 80"`)).toEqual([
      '/usr/local/bin/check',
      '-H',
      'www example',
      '--port',
      '80',
    ]);
    expect(argvOf(`misc_path '/usr/bin/check "two words"'`)).toEqual(['/usr/bin/check', 'two words']);
    expect(argvOf(`misc_path "/usr/bin/check pre'a b'post"`)).toEqual(['/usr/bin/check', 'prea bpost']);
  });

  it('decodes backslash escapes: a blank, quotes, \\t, hex, octal and control characters', () => {
    expect(argvOf(String.raw`misc_path "/bin/check a\ b \"x y\" c\td \x41\101 \cA \q"`)).toEqual([
      '/bin/check',
      'a b',
      '"x',
      'y"',
      'c\td',
      'AA',
      '\x01',
      'q',
    ]);
  });

  it('ends the command at a comment outside double quotes, and keeps # inside them', () => {
    expect(argvOf(`misc_path "/bin/check #1" # the first check`)).toEqual(['/bin/check', '#1']);
    expect(argvOf(String.raw`misc_path /bin/check\#2`)).toEqual(['/bin/check#2']);
  });

  it('runs only the first word of an unquoted command, as keepalived does, and lists the rest with its line', () => {
    const r = withMiscPath('misc_path /bin/check --deep');
    const check = r.health.services[0]?.destinations[0]?.check.check;
    expect(check).toEqual({ type: 'command', argv: ['/bin/check'], dynamicWeight: false });
    expect(r.notImported).toEqual([
      {
        line: 4,
        text: 'misc_path /bin/check --deep',
        reason: 'misc_path: "--deep" after the command is ignored, as keepalived does: quote the whole command',
      },
    ]);
  });

  it('refuses a command with an unclosed quote, naming the line, and imports no check', () => {
    const r = withMiscPath(`misc_path "/bin/check 'x"`);
    expect(r.health.services).toEqual([]);
    expect(r.notImported.map((n) => [n.line, n.reason])).toEqual([
      [3, 'MISC_CHECK without a misc_path starting with an absolute program path'],
      [4, `misc_path: "/bin/check 'x" is missing its closing '`],
    ]);
  });

  it('reads quorum_up and quorum_down the same way and lists the user name keepalived reads after them', () => {
    const r = importKeepalived(
      [
        'virtual_server 10.1.0.10 80 {',
        '  quorum 2',
        `  quorum_up "/usr/local/bin/page 'quorum back'" root`,
        String.raw`  quorum_down "/usr/local/bin/page quorum\ lost"`,
        '  real_server 10.2.0.11 80 {',
        '  }',
        '}',
        '',
      ].join('\n'),
    );
    expect(r.health.services[0]?.quorum).toMatchObject({
      onRegained: ['/usr/local/bin/page', 'quorum back'],
      onLost: ['/usr/local/bin/page', 'quorum lost'],
    });
    expect(r.notImported.map((n) => [n.line, n.reason])).toEqual([
      [3, 'quorum_up: the user "root": our commands run as the agent user'],
    ]);
  });
});

describe('scriptArgv', () => {
  it('splits on every blank keepalived knows and keeps an empty quoted argument', () => {
    expect(scriptArgv(`misc_path "/bin/c\ta\fb ''"`)).toEqual({ argv: ['/bin/c', 'a', 'b', ''], rest: [] });
  });

  it('keeps a backslash-escaped quote as a character and refuses a quote left open', () => {
    expect(scriptArgv(String.raw`misc_path "/bin/c \\"`)).toEqual({ argv: ['/bin/c', '\\'], rest: [] });
    expect(scriptArgv(String.raw`misc_path '/bin/c \'`)).toMatchObject({ error: expect.stringMatching(/closing '/) });
  });
});

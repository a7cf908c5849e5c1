// A dump decoded given the last one (as the agent reads the table every tick) keeps the last dump's service objects
// where a service's block of lines is the same, and must give exactly what a fresh decode gives: over captures of the
// lab's real kernel, each changed at random in one field, one line or the order of its lines.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeIpvsDump, type IpvsDump } from '..';
import { fixture } from './fixtures';

type Row = unknown[];

/** The blocks of a stream: a service's line and the real servers' lines right after it, as text. */
function blockTexts(lines: readonly string[]): string[] {
  const blocks: string[] = [];
  for (const l of lines) {
    if (l.startsWith('["svc",')) blocks.push(l);
    else if (l.startsWith('["dest",') && blocks.length) blocks[blocks.length - 1] += `\n${l}`;
  }
  return blocks;
}

/** The decode, or its error's message. */
function decoded(text: string, last?: IpvsDump): IpvsDump | string {
  try {
    return decodeIpvsDump(text, last);
  } catch (e) {
    return (e as Error).message;
  }
}

/** Values a field may be set to: in and out of every field's range, another type, the JSON null. */
const fieldValue = fc.oneof(
  fc.integer({ min: 0, max: 3 }),
  fc.integer({ min: 0, max: 70_000 }),
  fc.constantFrom(-1, 1.5, 2 ** 31, 2 ** 53, null, '', 'rr', '10.1.0.10', '2001:db8::1', '128', 'sip', 10, 17, 132),
);

/** One change of a stream's lines (the header and end lines included: a broken stream must stay broken). */
const change = fc.oneof(
  fc.record({ kind: fc.constant('field' as const), line: fc.nat(), field: fc.nat(), value: fieldValue }),
  fc.record({ kind: fc.constant('drop' as const), line: fc.nat() }),
  fc.record({ kind: fc.constant('copy' as const), line: fc.nat(), to: fc.nat() }),
  fc.record({ kind: fc.constant('swap' as const), line: fc.nat(), to: fc.nat() }),
);
type Change = typeof change extends fc.Arbitrary<infer C> ? C : never;

function applied(lines: readonly string[], c: Change): string[] {
  const out = [...lines];
  const i = c.line % out.length;
  if (c.kind === 'field') {
    const row = JSON.parse(out[i] as string) as Row;
    row[1 + (c.field % (row.length - 1))] = c.value;
    out[i] = JSON.stringify(row);
  } else if (c.kind === 'drop') out.splice(i, 1);
  else if (c.kind === 'copy') out.splice(c.to % out.length, 0, out[i] as string);
  else {
    const j = c.to % out.length;
    [out[i], out[j]] = [out[j] as string, out[i] as string];
  }
  return out;
}

describe.each(['rich', 'daemons', 'edge'])('the %s capture decoded again after a change', (table) => {
  const text = fixture(`netlink/${table}.ipvs-dump.jsonl`);
  const lines = text.trimEnd().split('\n');
  const last = decodeIpvsDump(text);

  it('keeps every service when nothing changed, and decodes to the same table', () => {
    expect(last.problems).toEqual([]);
    const again = decodeIpvsDump(text, last);
    expect(again.services).toHaveLength(last.services.length);
    again.services.forEach((s, i) => expect(s).toBe(last.services[i]));
    expect(again).toStrictEqual(decodeIpvsDump(text));
  });

  it('gives what a fresh decode gives, keeping a service object exactly where its block is the same', () => {
    const unchanged = new Set(blockTexts(lines));
    expect(unchanged.size).toBe(last.services.length);
    fc.assert(
      fc.property(fc.array(change, { minLength: 1, maxLength: 3 }), (changes) => {
        const next = changes.reduce<string[]>(applied, lines);
        const fresh = decoded(next.join('\n'));
        const given = decoded(next.join('\n'), last);
        if (typeof fresh === 'string') {
          expect(given).toBe(fresh);
          return;
        }
        if (typeof given === 'string') throw new Error(`failed given the last dump only: ${given}`);
        expect(given.services).toStrictEqual(fresh.services);
        expect(given.problems).toStrictEqual(fresh.problems);
        expect(given.timeouts).toStrictEqual(fresh.timeouts);
        expect(given.daemons).toStrictEqual(fresh.daemons);
        expect(fresh.services.filter((s) => last.services.includes(s))).toEqual([]);
        // kept: the services of the blocks found in the last dump (all of which read whole)
        const kept = given.services.filter((s) => last.services.includes(s)).length;
        expect(kept).toBe(blockTexts(next).filter((b) => unchanged.has(b)).length);
      }),
      { numRuns: 300 },
    );
  });
});

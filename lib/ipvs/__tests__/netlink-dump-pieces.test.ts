// The helper writes its stream as it reads the kernel, and the agent decodes each piece as it comes: cut anywhere,
// the stream must decode to what it decodes to whole (given the last dump or not), and a block too large to hold back
// is decoded as it comes, never kept.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IpvsDumpDecoder, decodeIpvsDump, type IpvsDump } from '..';
import { fixture } from './fixtures';

function run<T>(steps: Generator<void, T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** The decode of `text` given in pieces cut at `cuts` (positions in the text), or its error's message. */
function inPieces(text: string, cuts: readonly number[], last?: IpvsDump): IpvsDump | string {
  const at = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
  const decoder = new IpvsDumpDecoder(last);
  try {
    let from = 0;
    for (const to of [...at, text.length]) {
      run(decoder.write(text.slice(from, to)));
      from = to;
    }
    return run(decoder.end());
  } catch (e) {
    return (e as Error).message;
  }
}

function whole(text: string, last?: IpvsDump): IpvsDump | string {
  try {
    return decodeIpvsDump(text, last);
  } catch (e) {
    return (e as Error).message;
  }
}

const cuts = fc.array(fc.nat(), { maxLength: 40 });

describe.each(['rich', 'daemons', 'edge'])('the %s capture in pieces', (table) => {
  const text = fixture(`netlink/${table}.ipvs-dump.jsonl`);
  const lines = text.trimEnd().split('\n');
  const last = decodeIpvsDump(text);

  it('decodes to what the whole stream decodes to, keeping the same services given the last dump', () => {
    fc.assert(
      fc.property(cuts, (at) => {
        expect(inPieces(text, at)).toStrictEqual(decodeIpvsDump(text));
        const again = inPieces(text, at, last) as IpvsDump;
        again.services.forEach((s, i) => expect(s).toBe(last.services[i]));
      }),
      { numRuns: 200 },
    );
  });

  it('fails as the whole stream fails, cut short or with a line dropped, wherever it is cut', () => {
    fc.assert(
      fc.property(fc.nat(), cuts, (drop, at) => {
        const broken = lines.filter((_, i) => i !== drop % lines.length).join('\n');
        expect(inPieces(broken, at, last)).toStrictEqual(whole(broken, last));
      }),
      { numRuns: 200 },
    );
  });
});

describe('a stream out of its grammar', () => {
  const lines = fixture('netlink/edge.ipvs-dump.jsonl').trimEnd().split('\n');
  const timeouts = lines.findIndex((l) => l.startsWith('["timeouts",'));

  it("refuses a real server's line after a line of another kind (it would go to a service it does not belong to)", () => {
    const stray = [...lines];
    stray.splice(timeouts + 1, 0, lines[2] as string);
    expect(() => decodeIpvsDump(stray.join('\n'))).toThrow(
      new RegExp(`^line ${timeouts + 2}: a real server's line after a line of another kind, not its service's`),
    );
  });

  it('refuses a header line anywhere but first, and a stream that does not start with one', () => {
    const again = [...lines];
    again.splice(timeouts, 0, lines[0] as string);
    expect(() => decodeIpvsDump(again.join('\n'))).toThrow(
      new RegExp(`^line ${timeouts + 1}: the ipvs-dump header must come first, once`),
    );
    expect(() => decodeIpvsDump(lines.slice(1).join('\n'))).toThrow(/^line 1: the ipvs-dump header must come first/);
  });
});

describe('a service with more real servers than a block held back', () => {
  const lines = fixture('netlink/edge.ipvs-dump.jsonl').trimEnd().split('\n');
  const dest = JSON.parse(lines[5] as string) as unknown[];
  const svc = lines[1] as string;
  const timeouts = lines.find((l) => l.startsWith('["timeouts",')) as string;
  const DESTS = 20_000; // ~1.4 MB of lines: past what is held back (1 MiB)
  const destLines = Array.from({ length: DESTS }, (_, i) =>
    JSON.stringify(dest.with(2, `10.${100 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}`)),
  );
  const text = [lines[0], svc, ...destLines, timeouts, `["end",1,${DESTS}]`].join('\n');

  it('is decoded as its lines come, to what the whole stream gives, and not kept for the next read', () => {
    expect(text.length).toBeGreaterThan(1 << 20);
    const at = Array.from({ length: Math.ceil(text.length / 65_536) }, (_, i) => i * 65_536);
    const fresh = decodeIpvsDump(text);
    expect(fresh.services[0]?.destinations).toHaveLength(DESTS);
    const pieces = inPieces(text, at, fresh) as IpvsDump;
    expect(pieces).toStrictEqual({ ...fresh, blocks: new Map() });
    expect(pieces.services[0]).not.toBe(fresh.services[0]);
  });
});

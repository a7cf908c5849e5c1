import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HttpAnswerError, HttpAnswerReader, MAX_HEAD, type HttpAnswer } from '../http-response';

type Framing = 'length' | 'chunked' | 'close';

interface Answer {
  minor: 0 | 1;
  status: number;
  reason: string;
  headers: [string, string][];
  body: Buffer;
  framing: Framing;
  /** Where a chunked body is cut into chunks (sorted offsets). */
  cuts: number[];
  connection?: 'close' | 'keep-alive';
}

/** The reference encoding of an answer (RFC 9112), written out independently of the reader. */
function encode(a: Answer): Buffer {
  const lines = [`HTTP/1.${a.minor} ${a.status} ${a.reason}`, ...a.headers.map(([n, v]) => `${n}: ${v}`)];
  if (a.connection) lines.push(`Connection: ${a.connection}`);
  if (a.framing === 'length') lines.push(`Content-Length: ${a.body.length}`);
  if (a.framing === 'chunked') lines.push('Transfer-Encoding: chunked');
  const head = Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
  if (a.framing !== 'chunked') return Buffer.concat([head, a.body]);
  const parts: Buffer[] = [head];
  let from = 0;
  for (const to of [...a.cuts.filter((c) => c > 0 && c < a.body.length), a.body.length]) {
    if (to === from) continue;
    parts.push(Buffer.from(`${(to - from).toString(16)};ext=1\r\n`), a.body.subarray(from, to), Buffer.from('\r\n'));
    from = to;
  }
  parts.push(Buffer.from('0\r\nX-Trailer: t\r\n\r\n'));
  return Buffer.concat(parts);
}

const token = fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,15}$/);
const answerOf = (body: fc.Arbitrary<Uint8Array>): fc.Arbitrary<Answer> =>
  fc.record(
    {
      minor: fc.constantFrom(0 as const, 1 as const),
      status: fc.integer({ min: 200, max: 599 }).filter((s) => s !== 204 && s !== 304),
      reason: fc.stringMatching(/^[A-Za-z ]{0,20}$/),
      headers: fc.array(
        fc.tuple(
          token.filter((n) => !/^(content-length|transfer-encoding|connection)$/i.test(n)),
          fc.stringMatching(/^[\x21-\x7e]{0,30}$/),
        ),
        { maxLength: 5 },
      ),
      body: body.map((b) => Buffer.from(b)),
      framing: fc.constantFrom<Framing>('length', 'chunked', 'close'),
      cuts: fc.array(fc.nat(3000), { maxLength: 6, size: 'max' }).map((c) => [...c].sort((x, y) => x - y)),
      connection: fc.option(fc.constantFrom('close' as const, 'keep-alive' as const), { nil: undefined }),
    },
    { requiredKeys: ['minor', 'status', 'reason', 'headers', 'body', 'framing', 'cuts'] },
  );
const arbAnswer = answerOf(fc.uint8Array({ maxLength: 3000, size: 'max' }));

/** Feeds `bytes` cut at `splits`; the connection closes after the last piece when the answer is still open. */
function read(bytes: Buffer, splits: number[], keepBody: number, maxBody = 64 * 1024): HttpAnswer {
  const reader = new HttpAnswerReader({ keepBody, maxBody });
  let from = 0;
  for (const to of [...splits.filter((s) => s > 0 && s < bytes.length).sort((x, y) => x - y), bytes.length]) {
    const answer = reader.push(bytes.subarray(from, to));
    if (answer) return answer;
    from = to;
  }
  return reader.end();
}

describe('HttpAnswerReader', () => {
  it('reads back what the reference encoding wrote, however the bytes are cut into reads', () => {
    fc.assert(
      fc.property(
        arbAnswer,
        fc.array(fc.nat(4000), { maxLength: 8, size: 'max' }),
        fc.nat(4000),
        (a, splits, keepBody) => {
          const answer = read(encode(a), splits, keepBody);
          expect(answer.status).toBe(a.status);
          expect(answer.reason).toBe(a.reason);
          expect(answer.body.equals(a.body.subarray(0, keepBody))).toBe(true);
          expect(answer.truncated).toBe(false);
          const persistent = a.minor === 1 ? a.connection !== 'close' : a.connection === 'keep-alive';
          expect(answer.keepAlive).toBe(persistent && a.framing !== 'close');
        },
      ),
      { numRuns: 300 },
    );
  });

  it('stops reading a body longer than the limit, keeping its start; the connection cannot be reused then', () => {
    fc.assert(
      fc.property(
        answerOf(fc.uint8Array({ minLength: 101, maxLength: 3000 })),
        fc.array(fc.nat(4000), { maxLength: 4 }),
        (a, splits) => {
          const answer = read(encode(a), splits, 50, 100);
          expect(answer.truncated).toBe(true);
          expect(answer.keepAlive).toBe(false);
          expect(answer.body.equals(a.body.subarray(0, 50))).toBe(true);
        },
      ),
    );
  });

  it('skips an interim 100 Continue; 204 and 304 have no body', () => {
    const answer = read(Buffer.from('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n'), [10, 30], 10);
    expect(answer).toMatchObject({ status: 204, reason: 'No Content', keepAlive: true });
    expect(answer.body.length).toBe(0);
    expect(read(Buffer.from('HTTP/1.1 304 Not Modified\r\nContent-Length: 12\r\n\r\n'), [], 0).status).toBe(304);
  });

  it('says what is wrong with a malformed answer, or one cut short by the close', () => {
    const fails = (text: string, message: string | RegExp) => {
      const error = (() => {
        try {
          read(Buffer.from(text, 'latin1'), [], 100);
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(HttpAnswerError);
      expect((error as Error).message).toMatch(message);
    };
    fails('SSH-2.0-OpenSSH_9.2\r\n\r\n', 'not an HTTP/1.x status line: "SSH-2.0-OpenSSH_9.2"');
    fails('HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n\r\n', 'bad Content-Length "1x"');
    fails('HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n', 'conflicting Content-Length');
    fails('HTTP/1.1 200 OK\r\nno colon\r\n\r\n', 'bad header line "no colon"');
    fails('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', 'bad chunk size line "zz"');
    fails('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabXY', 'chunk data not followed by CRLF');
    fails('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc', 'connection closed before the end of the body');
    fails('HTTP/1.1 200 OK\r\nServer: x', 'connection closed in the answer head');
    fails('', 'connection closed before an answer');
    fails(`HTTP/1.1 200 OK\r\nX-Big: ${'a'.repeat(MAX_HEAD)}\r\n\r\n`, `answer head longer than ${MAX_HEAD} bytes`);
  });

  it('does not reuse a connection that sent more than the answer', () => {
    const answer = read(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 200 OK\r\n'), [], 10);
    expect(answer).toMatchObject({ status: 200, keepAlive: false });
    expect(answer.body.toString()).toBe('ok');
  });
});

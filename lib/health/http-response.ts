// The reading of one HTTP/1.x answer for a health check, fed its bytes as they arrive: the status line, the headers
// that frame the body (Content-Length, Transfer-Encoding: chunked, else up to the close) and say whether the connection
// stays open (Connection, the version), then the body, of which only a bounded prefix is kept. Limits on the head's
// and the body's sizes; a malformed answer throws an HttpAnswerError that says what was wrong.

/** The status line and headers (and a chunked body's trailers) may not be longer than this. */
export const MAX_HEAD = 16 * 1024;
/** A chunk-size line longer than this is not one. */
const MAX_CHUNK_LINE = 1024;

export interface HttpAnswer {
  status: number;
  reason: string;
  /** The body's first `keepBody` bytes. */
  body: Buffer;
  /** The body was longer than `maxBody`: reading stopped there, and the connection cannot carry another request. */
  truncated: boolean;
  /** The connection can carry the next request. */
  keepAlive: boolean;
}

export interface AnswerLimits {
  /** How much of the body to keep (0: none, only its end is looked for). */
  keepBody: number;
  /** Reading stops after this much body. */
  maxBody: number;
}

export class HttpAnswerError extends Error {}

type State = 'head' | 'length' | 'close' | 'chunk-size' | 'chunk-data' | 'chunk-end' | 'trailers' | 'done';

const CRLF = Buffer.from('\r\n');
const END_OF_HEAD = Buffer.from('\r\n\r\n');
const EMPTY = Buffer.alloc(0);
const STATUS_LINE = /^HTTP\/1\.([01]) ([1-9]\d\d)(?: ([^\r\n]*))?$/;
const CHUNK_SIZE = /^([0-9a-fA-F]{1,8})[ \t]*(?:;.*)?$/;

export class HttpAnswerReader {
  private state: State = 'head';
  /** Bytes received and not read yet (a line or head split across reads). */
  private rest: Buffer = EMPTY;
  private status = 0;
  private reason = '';
  private keepAlive = false;
  /** Body bytes still to come in the current chunk or Content-Length body. */
  private left = 0;
  private bodySize = 0;
  private readonly kept: Buffer[] = [];
  private keptSize = 0;
  private trailerSize = 0;
  /** Whether any byte arrived (a kept connection closed before that can be retried on a new one). */
  started = false;

  constructor(private readonly limits: AnswerLimits) {}

  /** Feed the next bytes: the answer once it is complete, else null. */
  push(chunk: Buffer): HttpAnswer | null {
    if (chunk.length > 0) this.started = true;
    const buf = this.rest.length > 0 ? Buffer.concat([this.rest, chunk]) : chunk;
    this.rest = EMPTY;
    let at = 0;
    for (;;) {
      switch (this.state) {
        case 'head': {
          const end = buf.indexOf(END_OF_HEAD, at);
          if (end < 0 || end - at > MAX_HEAD) {
            if (buf.length - at > MAX_HEAD) throw new HttpAnswerError(`answer head longer than ${MAX_HEAD} bytes`);
            return this.wait(buf, at);
          }
          this.readHead(buf.toString('latin1', at, end));
          at = end + 4;
          break;
        }
        case 'close': {
          if (this.body(buf, at, buf.length - at)) return this.finish(buf.length, buf.length, true);
          return null;
        }
        case 'length':
        case 'chunk-data': {
          const n = Math.min(this.left, buf.length - at);
          this.left -= n;
          if (this.body(buf, at, n)) return this.finish(at + n, buf.length, true);
          at += n;
          if (this.left > 0) return null;
          if (this.state === 'length') return this.finish(at, buf.length, false);
          this.state = 'chunk-end';
          break;
        }
        case 'chunk-end': {
          if (buf.length - at < 2) return this.wait(buf, at);
          if (buf[at] !== 13 || buf[at + 1] !== 10) throw new HttpAnswerError('chunk data not followed by CRLF');
          at += 2;
          this.state = 'chunk-size';
          break;
        }
        case 'chunk-size': {
          const nl = buf.indexOf(CRLF, at);
          if (nl < 0 || nl - at > MAX_CHUNK_LINE) {
            if (buf.length - at > MAX_CHUNK_LINE) throw new HttpAnswerError('chunk size line too long');
            return this.wait(buf, at);
          }
          const line = buf.toString('latin1', at, nl);
          const m = CHUNK_SIZE.exec(line);
          if (!m) throw new HttpAnswerError(`bad chunk size line "${line.slice(0, 40)}"`);
          this.left = parseInt(m[1] as string, 16);
          this.state = this.left === 0 ? 'trailers' : 'chunk-data';
          at = nl + 2;
          break;
        }
        case 'trailers': {
          const nl = buf.indexOf(CRLF, at);
          if (nl < 0) {
            if (this.trailerSize + buf.length - at > MAX_HEAD)
              throw new HttpAnswerError(`trailers longer than ${MAX_HEAD} bytes`);
            return this.wait(buf, at);
          }
          this.trailerSize += nl + 2 - at;
          if (this.trailerSize > MAX_HEAD) throw new HttpAnswerError(`trailers longer than ${MAX_HEAD} bytes`);
          const blank = nl === at;
          at = nl + 2;
          if (blank) return this.finish(at, buf.length, false);
          break;
        }
        case 'done':
          throw new HttpAnswerError('bytes after the end of the answer');
      }
    }
  }

  /** The connection closed: the answer when its body ends at the close, else an error saying where it stopped. */
  end(): HttpAnswer {
    if (this.state === 'close') return this.finish(0, 0, false);
    if (!this.started) throw new HttpAnswerError('connection closed before an answer');
    throw new HttpAnswerError(
      this.state === 'head' ? 'connection closed in the answer head' : 'connection closed before the end of the body',
    );
  }

  private wait(buf: Buffer, at: number): null {
    this.rest = buf.subarray(at);
    return null;
  }

  private readHead(head: string): void {
    const lines = head.split('\r\n');
    const m = STATUS_LINE.exec(lines[0] as string);
    if (!m) throw new HttpAnswerError(`not an HTTP/1.x status line: "${(lines[0] as string).slice(0, 60)}"`);
    const minor = m[1] === '1';
    const status = Number(m[2]);
    let length: number | undefined;
    let chunked = false;
    let connection = '';
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i] as string;
      const colon = line.indexOf(':');
      if (colon <= 0) throw new HttpAnswerError(`bad header line "${line.slice(0, 60)}"`);
      const name = line.slice(0, colon).toLowerCase();
      if (name === 'content-length') {
        const value = line.slice(colon + 1).trim();
        if (!/^\d{1,15}$/.test(value)) throw new HttpAnswerError(`bad Content-Length "${value.slice(0, 20)}"`);
        if (length !== undefined && length !== Number(value)) throw new HttpAnswerError('conflicting Content-Length');
        length = Number(value);
      } else if (name === 'transfer-encoding') {
        chunked = /(?:^|,)\s*chunked\s*$/i.test(line.slice(colon + 1));
      } else if (name === 'connection') connection += `${line.slice(colon + 1).toLowerCase()},`;
    }
    if (status < 200 && status !== 101) return; // an interim answer (100 Continue): the real one follows
    this.status = status;
    this.reason = m[3] ?? '';
    this.keepAlive = minor ? !/(?:^|,)\s*close\s*,/.test(connection) : /(?:^|,)\s*keep-alive\s*,/.test(connection);
    if (status === 204 || status === 304 || status === 101) {
      if (status === 101) this.keepAlive = false;
      this.state = 'length';
      this.left = 0;
    } else if (chunked) this.state = 'chunk-size';
    else if (length !== undefined) {
      this.state = 'length';
      this.left = length;
    } else {
      this.state = 'close';
      this.keepAlive = false;
    }
  }

  /** Takes `n` body bytes from `at`; true when the body went past maxBody (reading stops). */
  private body(buf: Buffer, at: number, n: number): boolean {
    this.bodySize += n;
    const keep = Math.min(n, this.limits.keepBody - this.keptSize);
    if (keep > 0) {
      this.kept.push(buf.subarray(at, at + keep));
      this.keptSize += keep;
    }
    return this.bodySize > this.limits.maxBody;
  }

  private finish(at: number, length: number, truncated: boolean): HttpAnswer {
    this.state = 'done';
    return {
      status: this.status,
      reason: this.reason,
      body: this.kept.length === 1 ? (this.kept[0] as Buffer) : Buffer.concat(this.kept),
      truncated,
      // bytes after the answer that nobody asked for: the connection's next answer could not be told apart
      keepAlive: this.keepAlive && !truncated && at === length,
    };
  }
}

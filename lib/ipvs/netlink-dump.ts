// The stream of the netlink table reader (native/ipvs-dump.c: one JSON array per line, values as the kernel holds
// them) -> the same model the ipvsadm listings give once parsed and merged (parse-list.ts, services.ts): the agent may
// read the table either way and the dashboard cannot tell which (each record's mapping: netlink-map.ts). The helper
// writes as it reads the kernel, so the decode takes the stream in pieces as they come (IpvsDumpDecoder) and runs
// while the kernel is still being read.
import { ParseError, type ParseProblem } from './parse-error';
import { compareDestinations, compareServices, glibcMergeSort, type OrderKey } from './ipvsadm-order';
import { checkRecord, type DaemonRecord, type EndRecord } from './netlink-records';
import { entry, toDaemon, type Entry } from './netlink-map';
import { serviceId, serviceKey, type Destination, type Service, type SyncDaemon, type Timeouts } from './model';

export { schedulerFlagNames } from './netlink-map';

/** The stream version this decoder reads (the helper's first line). */
export const IPVS_DUMP_VERSION = 2;

export interface IpvsDump {
  services: Service[];
  /** Records that did not map to the model (an unknown protocol, forwarding method or tunnel type): skipped and named,
   * like the unreadable lines of a lenient listing parse; a service's real servers go with it. */
  problems: ParseProblem[];
  timeouts: Timeouts;
  daemons: SyncDaemon[];
  /** This dump's services that decoded whole, by the text of their block (the service's line and its real servers'
   * lines): the next read, given this dump, hands back the same object for a block of the same text. */
  blocks: DecodedBlocks;
}

/** A service that decoded whole, with its order key and how many real servers' lines its block holds. */
export interface DecodedBlock {
  svc: OrderKey & { value: Service };
  dests: number;
}
export type DecodedBlocks = ReadonlyMap<string, DecodedBlock>;

interface Block {
  svc: Entry<Service>;
  dests: Entry<Destination>[];
  /** The block's text (the service's line through its last real server's line), '' when it was not held whole. */
  text: string;
  /** The last dump's block of the same text, its service destinations and all: nothing to decode or order. */
  kept?: DecodedBlock;
}

/** Lines (or services, when ordering them) between two pauses of a decode: a few ms under the lab's TCG. */
export const DECODE_STEP = 256;

/** The most of one service's block held back, while its real servers' lines still come, to compare it whole with the
 * last dump's: a larger one (thousands of real servers) is decoded line by line as it comes, and never kept. */
const MAX_HELD_BLOCK = 1 << 20;

const SVC_LINE = '["svc",';
const DEST_LINE = '["dest",';

/** Where the block of the service whose line starts at `start` ends (a newline or, at the stream's end, the end of
 * the text), and its lines; null when the text does not hold it whole yet. */
function blockEnd(text: string, start: number, final: boolean): { end: number; lines: number } | null {
  let end = start - 1;
  for (let lines = 1; ; lines++) {
    end = text.indexOf('\n', end + 1);
    if (end < 0) return final ? { end: text.length, lines } : null;
    if (!final && text.length - end - 1 < DEST_LINE.length) return null; // the next line's kind is not here yet
    if (!text.startsWith(DEST_LINE, end + 1)) return { end, lines };
  }
}

/** A dump decoded from its stream as the pieces come (`write`, then `end`), each line parsed and mapped to the model
 * on its own, so its JSON value dies young (parsing the whole stream at once kept 220,000 objects of a 10,000 x 10
 * table alive until the end). A service's block the same, to the byte, as one of the last dump's is that block's
 * service again, not parsed: a table read every tick mostly holds the same configuration and, on an idle service, the
 * same counters. The stream is checked whole: the header first, one end line last whose counts match what came
 * between, a real server's line only after its service's. Both are generators pausing every DECODE_STEP lines; run
 * each to its end before the next. */
export class IpvsDumpDecoder {
  /** The stream not decoded yet, from the start of a line. */
  private rest = '';
  /** Lines read, and the last one (to name it in an error after it). */
  private n = 0;
  private line = '';
  private blocks: Block[] = [];
  private dests = 0;
  private timeouts: Timeouts | undefined;
  private daemons: { r: DaemonRecord; n: number; line: string }[] = [];
  private ended: EndRecord | undefined;
  /** Whether a real server's line may come: right after its service's line or another real server's. */
  private inBlock = false;

  /** `last`: the dump before this one, whose services this one keeps where their blocks' text is the same. */
  constructor(private readonly last?: IpvsDump) {}

  /** Decode what this piece of the stream completes. */
  *write(piece: string): Generator<void, void> {
    this.rest += piece;
    yield* this.decode(false);
  }

  /** The stream ended: decode its last line and check it whole. A stream that is not one (no header, another version,
   * a line that is not a record, no end line or counts that disagree: a helper cut short) throws ParseError; a record
   * the model cannot hold is a problem. Services in ipvsadm's order (ipvsadm-order.ts). */
  *end(): Generator<void, IpvsDump> {
    yield* this.decode(true);
    const { blocks, n, line, ended, timeouts } = this;
    if (!ended) throw new ParseError(n, line, 'no end line: the ipvs-dump stream was cut short');
    if (ended.services !== blocks.length || ended.dests !== this.dests)
      throw new ParseError(
        n,
        line,
        `the end line counts ${ended.services} services and ${ended.dests} real servers, the stream held ${blocks.length} and ${this.dests}`,
      );
    if (!timeouts) throw new ParseError(n, line, 'no timeouts record');
    const decoded = new Map<string, DecodedBlock>();
    const daemons = this.daemons.map((d) => toDaemon(d.r, d.n, d.line));
    const out: IpvsDump = { services: [], problems: [], timeouts, daemons, blocks: decoded };
    const problem = (e: Entry<unknown>, reason: string): ParseProblem => ({
      lineNumber: e.n,
      line: e.line ?? '',
      reason,
    });
    const sorted = glibcMergeSort(blocks, byServiceOrder);
    for (let i = 0; i < sorted.length; i++) {
      if (i % DECODE_STEP === DECODE_STEP - 1) yield;
      const b = sorted[i] as Block;
      const svc = b.svc.value;
      if (typeof svc === 'string') {
        out.problems.push(problem(b.svc, svc));
        continue;
      }
      if (b.kept) decoded.set(b.text, b.kept);
      else {
        let whole = true;
        for (const d of glibcMergeSort(b.dests, compareDestinations)) {
          if (typeof d.value === 'string') {
            out.problems.push({ ...problem(d, d.value), service: serviceId(serviceKey(svc)) });
            whole = false;
          } else svc.destinations.push(d.value);
        }
        // a block with a problem decodes again each time: its problem's line number is where it is now
        if (whole && b.text) decoded.set(b.text, { svc: b.svc as DecodedBlock['svc'], dests: b.dests.length });
      }
      out.services.push(svc);
    }
    return out;
  }

  /** The lines `rest` holds whole (all of it at the end), a service's block at once where it may be kept. */
  private *decode(final: boolean): Generator<void, void> {
    const text = this.rest;
    let pos = 0;
    while (pos < text.length) {
      let blockText = '';
      if (this.n > 0 && !this.ended && text.startsWith(SVC_LINE, pos)) {
        const block = blockEnd(text, pos, final);
        if (block) {
          blockText = text.slice(pos, block.end);
          const kept = this.last?.blocks.get(blockText);
          if (kept) {
            if (Math.floor(this.n / DECODE_STEP) !== Math.floor((this.n + block.lines) / DECODE_STEP)) yield;
            this.blocks.push({ svc: { ...kept.svc, n: this.n + 1 }, dests: [], text: blockText, kept });
            this.n += block.lines;
            this.dests += kept.dests;
            this.line = text.slice(text.lastIndexOf('\n', block.end - 1) + 1, block.end);
            this.inBlock = false;
            pos = block.end + 1;
            continue;
          }
        } else if (text.length - pos < MAX_HELD_BLOCK) break; // the rest of its block comes in a later piece
      }
      let end = text.indexOf('\n', pos);
      if (end < 0) {
        if (!final) break;
        end = text.length;
      }
      const line = text.slice(pos, end);
      pos = end + 1;
      this.line = line;
      if (++this.n % DECODE_STEP === 0) yield;
      this.record(line, blockText);
    }
    this.rest = pos < text.length ? text.slice(pos) : '';
  }

  /** One line read on its own; `blockText`: its whole block's, for a service's line held with its real servers'. */
  private record(line: string, blockText: string): void {
    const n = this.n;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new ParseError(n, line, 'not a JSON record of ipvs-dump');
    }
    const r = checkRecord(value);
    if (typeof r === 'string') throw new ParseError(n, line, r);
    if ((n === 1) !== (r.t === 'ipvs-dump'))
      throw new ParseError(n, line, 'the ipvs-dump header must come first, once');
    if (this.ended) throw new ParseError(n, line, 'a record after the end line');
    const inBlock = this.inBlock;
    this.inBlock = r.t === 'svc' || r.t === 'dest';
    if (r.t === 'ipvs-dump') {
      if (r.version !== IPVS_DUMP_VERSION)
        throw new ParseError(n, line, `ipvs-dump stream version ${r.version}, this agent reads ${IPVS_DUMP_VERSION}`);
    } else if (r.t === 'svc') this.blocks.push({ svc: entry(r, n, line), dests: [], text: blockText });
    else if (r.t === 'dest') {
      const block = this.blocks[this.blocks.length - 1];
      if (!block) throw new ParseError(n, line, 'a real server before any service');
      if (!inBlock)
        throw new ParseError(n, line, "a real server's line after a line of another kind, not its service's");
      block.dests.push(entry(r, n, line));
      this.dests++;
    } else if (r.t === 'timeouts') this.timeouts = { tcp: r.tcp, tcpfin: r.tcpfin, udp: r.udp };
    else if (r.t === 'daemon') this.daemons.push({ r, n, line });
    else this.ended = r;
  }
}

const byServiceOrder = (a: Block, b: Block) => compareServices(a.svc, b.svc);

/** Decode a whole dump (IpvsDumpDecoder given it in one piece). */
export function decodeIpvsDump(text: string, last?: IpvsDump): IpvsDump {
  const steps = decodeIpvsDumpSteps(text, last);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** decodeIpvsDump in steps of a bounded amount of work (DECODE_STEP lines or services, the one sort of the services
 * aside). */
export function* decodeIpvsDumpSteps(text: string, last?: IpvsDump): Generator<void, IpvsDump> {
  const decoder = new IpvsDumpDecoder(last);
  yield* decoder.write(text);
  return yield* decoder.end();
}

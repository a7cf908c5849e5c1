/** A listing that is not what the parser expects. Names the line so an operator can find it; never a silent skip. */
export class ParseError extends Error {
  constructor(
    readonly lineNumber: number,
    readonly line: string,
    readonly reason: string,
  ) {
    // both parts quote input (the reason may quote a token): neither may echo a whole line back
    const clip = (t: string, max: number) => (t.length > max ? `${t.slice(0, max - 3)}...` : t);
    super(`line ${lineNumber}: ${clip(reason, 200)}: ${JSON.stringify(clip(line, 120))}`);
    this.name = 'ParseError';
  }
}

/** A line a lenient parser skipped, with the reason: the rest of the listing stays usable. `service` is the id of the
 * virtual service the line belongs to, when the parser could tell (serviceId form); absent, it may be any. */
export interface ParseProblem {
  lineNumber: number;
  line: string;
  reason: string;
  service?: string;
}

export function problemOf(e: ParseError, service?: string): ParseProblem {
  const p: ParseProblem = { lineNumber: e.lineNumber, line: e.line, reason: e.reason };
  if (service !== undefined) p.service = service;
  return p;
}

/** A listing that is not what the parser expects. Names the line so an operator can find it; never a silent skip. */
export class ParseError extends Error {
  constructor(
    readonly lineNumber: number,
    readonly line: string,
    readonly reason: string,
  ) {
    super(`line ${lineNumber}: ${reason}: ${JSON.stringify(line.length > 120 ? `${line.slice(0, 117)}...` : line)}`);
    this.name = 'ParseError';
  }
}

/** A typed edit that cannot become an ipvsadm command. `field` names the offending field (dotted path). */
export class ValidationError extends Error {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
    this.name = 'ValidationError';
  }
}

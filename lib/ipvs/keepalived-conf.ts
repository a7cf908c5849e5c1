// keepalived.conf text as a tree of statements, the way keepalived's own parser reads it (keepalived/core/parser.c):
// one statement per line, words split on blanks, a double-quoted string is one word, `#` and `!` start a comment
// outside quotes, `{` opens the block of the statement before it (on its line or the line above) and `}` closes it.
// Only the syntax lives here; what the keywords mean is keepalived-import.ts.

export interface ConfStatement {
  /** 1-based line of the statement's first word. */
  line: number;
  /** The statement's words: the keyword first, quotes removed. */
  words: string[];
  /** The line's text from the keyword on, as written: keepalived re-reads a script's command from it
   * (keepalived-script.ts), with single quotes and backslash escapes the words above do not know. */
  source: string;
  /** The statements of its `{ }` block; undefined when it has none. */
  block?: ConfStatement[];
}

/** A line of the configuration the reader could not use (an unbalanced brace, an `include`). */
export interface ConfSkip {
  line: number;
  reason: string;
}

interface Token {
  line: number;
  text: string;
  /** Where the token starts in its line. */
  start: number;
  /** `{` or `}` outside quotes. */
  brace?: true;
}

function tokensOfLine(text: string, line: number, out: Token[]): void {
  let i = 0;
  while (i < text.length) {
    const c = text[i] ?? '';
    if (c === ' ' || c === '\t' || c === '\r') i++;
    else if (c === '#' || c === '!') return;
    else if (c === '{' || c === '}') {
      out.push({ line, text: c, start: i, brace: true });
      i++;
    } else if (c === '"') {
      const end = text.indexOf('"', i + 1);
      const stop = end === -1 ? text.length : end;
      out.push({ line, text: text.slice(i + 1, stop), start: i });
      i = stop + 1;
    } else {
      let j = i;
      while (j < text.length && !' \t\r{}"#!'.includes(text[j] ?? ' ')) j++;
      out.push({ line, text: text.slice(i, j), start: i });
      i = j;
    }
  }
}

/** The statements of a keepalived.conf, with the lines that could not be placed. Reads every line once. */
export function readConf(text: string): { statements: ConfStatement[]; skipped: ConfSkip[] } {
  const root: ConfStatement[] = [];
  const stack: ConfStatement[][] = [root];
  const skipped: ConfSkip[] = [];
  const lines = text.split('\n');
  for (const [index, raw] of lines.entries()) {
    const tokens: Token[] = [];
    tokensOfLine(raw, index + 1, tokens);
    let current: ConfStatement | undefined;
    for (const t of tokens) {
      const level = stack[stack.length - 1] ?? root;
      if (!t.brace) {
        if (!current) {
          current = { line: t.line, words: [], source: raw.slice(t.start) };
          level.push(current);
        }
        current.words.push(t.text);
      } else if (t.text === '{') {
        // a `{` alone on its line opens the block of the statement on the line before
        const owner = current ?? level[level.length - 1];
        if (!owner || owner.block) {
          skipped.push({ line: t.line, reason: 'a "{" that follows no statement' });
          const orphan: ConfStatement = { line: t.line, words: [], source: '', block: [] };
          stack.push(orphan.block ?? []);
        } else {
          owner.block = [];
          stack.push(owner.block);
        }
        current = undefined;
      } else {
        if (stack.length > 1) stack.pop();
        else skipped.push({ line: t.line, reason: 'a "}" that closes no block' });
        current = undefined;
      }
    }
  }
  if (stack.length > 1) skipped.push({ line: lines.length, reason: `${stack.length - 1} block(s) not closed by "}"` });
  return { statements: root, skipped };
}

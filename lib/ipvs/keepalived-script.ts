// A script keyword's command line (misc_path, quorum_up, quorum_down) as the argv keepalived 2.x runs, without a
// shell, read the way keepalived reads it (lib/parser.c and core/notify.c): the line loses its comment (`#` or `!`
// outside double quotes; `\#` and `\!` stand for the characters), is split into words where single and double quotes
// group and a backslash keeps the next character, and the keyword's first argument alone is split again into the
// argv, this time with quotes removed and backslash escapes decoded (\n \t \x41 \101 \cA ...). Words after that
// argument are not part of the command (keepalived reads a user name there, or nothing).

const BLANKS = ' \t\f\n\r\v';

export type ScriptArgv = { argv: string[]; rest: string[] } | { error: string };

function uncommented(line: string): string {
  let out = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] ?? '';
    const next = line[i + 1];
    if (c === '"') quoted = !quoted;
    else if (c === '\\' && next !== undefined) {
      out += !quoted && (next === '#' || next === '!') ? next : c + next;
      i++;
      continue;
    } else if (c === '\\')
      break; // a line continuation: keepalived joins the next line, which we do not read
    else if (!quoted && (c === '#' || c === '!')) break;
    out += c;
  }
  return out;
}

const SIMPLE_ESCAPES: Record<string, string> = {
  a: '\x07',
  b: '\b',
  E: '\x1b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
};
const isHex = (c: string | undefined) => c !== undefined && /^[0-9a-fA-F]$/.test(c);
const isOctal = (c: string | undefined) => c !== undefined && c >= '0' && c <= '7';

/** The escape at `text[i]` (just after the backslash): its character and the index after it. */
function escaped(text: string, i: number): [string, number] {
  const c = text[i] ?? '';
  if (c === 'x' && isHex(text[i + 1])) {
    let j = i + 1;
    while (j < i + 3 && isHex(text[j])) j++;
    return [String.fromCharCode(parseInt(text.slice(i + 1, j), 16)), j];
  }
  if (c === 'c' && i + 1 < text.length) return [String.fromCharCode(text.charCodeAt(i + 1) & 0x1f), i + 2];
  if (isOctal(c)) {
    let j = i;
    while (j < i + 3 && isOctal(text[j])) j++;
    // keepalived builds the byte in a char: \400 and above wrap
    return [String.fromCharCode(parseInt(text.slice(i, j), 8) & 0xff), j];
  }
  return [SIMPLE_ESCAPES[c] ?? c, i + 1];
}

/** keepalived's alloc_strvec_quoted (escapes false) and alloc_strvec_quoted_escaped (escapes true). */
export function quotedWords(text: string, escapes: boolean): string[] | { error: string } {
  const words: string[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && BLANKS.includes(text[i] ?? '')) i++;
    if (i >= text.length) break;
    let word = '';
    let quote = '';
    while (i < text.length) {
      const c = text[i] ?? '';
      if (c === '\\') {
        if (i + 1 >= text.length) return { error: `a "\\" escapes nothing at the end of ${JSON.stringify(text)}` };
        if (escapes) {
          const [ch, next] = escaped(text, i + 1);
          word += ch;
          i = next;
        } else {
          word += c + (text[i + 1] ?? '');
          i += 2;
        }
      } else if (quote) {
        if (c === quote) quote = '';
        else word += c;
        i++;
      } else if (c === '"' || c === "'") {
        quote = c;
        i++;
      } else if (BLANKS.includes(c)) break;
      else {
        word += c;
        i++;
      }
    }
    if (quote) return { error: `${JSON.stringify(text)} is missing its closing ${quote}` };
    words.push(word);
  }
  return words;
}

/** The argv of a script keyword's line (`source`: the keyword and what follows it), and the words after it. */
export function scriptArgv(source: string): ScriptArgv {
  const line = quotedWords(uncommented(source), false);
  if (!Array.isArray(line)) return line;
  const argv = quotedWords(line[1] ?? '', true);
  if (!Array.isArray(argv)) return argv;
  return { argv, rest: line.slice(2) };
}

import { readFileSync } from 'node:fs';

// What a command reads and writes: the process's stdin/stdout/stderr, or strings in tests.
export interface Io {
  stdin: () => string;
  out: (s: string) => void;
  err: (s: string) => void;
}

export const processIo: Io = {
  stdin: () => readFileSync(0, 'utf8'),
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
};

import { z } from 'zod';
import { ValidationError, renderSave, type Service } from '../../../lib/ipvs';
import type { Io } from './io';

const HELP = `usage: lvs-agent render save < services.json

Reads {"services": [...]} (the model, as "lvs-agent parse list" prints it) on stdin and prints the table in
ipvsadm's restore format (ipvsadm -S -n), ready for "ipvsadm -R" or "lvs-agent apply --file".
Every field is validated first; a bad one exits 1 naming the field.`;

const Input = z.object({ services: z.array(z.unknown()) });

export function runRender(args: string[], io: Io): number {
  if (args.includes('--help') || args.includes('-h')) {
    io.out(HELP + '\n');
    return 0;
  }
  if (args[0] !== 'save' || args.length !== 1) {
    io.err('lvs-agent render: the only format is "save" (see lvs-agent render --help)\n');
    return 2;
  }
  try {
    let json: unknown;
    try {
      json = JSON.parse(io.stdin());
    } catch (e) {
      throw new ValidationError('input', `not JSON (${(e as Error).message})`);
    }
    const parsed = Input.safeParse(json);
    if (!parsed.success) throw new ValidationError('services', 'expected {"services": [...]}');
    io.out(renderSave(parsed.data.services as Service[]));
    return 0;
  } catch (e) {
    if (e instanceof ValidationError) {
      io.err(`lvs-agent render save: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}

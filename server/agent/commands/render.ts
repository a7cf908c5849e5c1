import { z } from 'zod';
import { ApiError, invalidField, invalidInput } from '../../../lib/errors';
import { Rate, Service, Stats, renderSave } from '../../../lib/ipvs';
import { createMetricsExporter } from '../../../lib/metrics';
import type { Io } from './io';

const HELP = `usage: lvs-agent render save|metrics < input.json

  save      reads {"services": [...]} (the model, as "lvs-agent parse list" prints it) and prints the table in
            ipvsadm's restore format (ipvsadm -S -n), ready for "ipvsadm -R" or "lvs-agent apply --file".
  metrics   reads {"services": [...], "stats": {...}, "rate": {...}} ("lvs-agent parse proc-ip_vs" and
            "lvs-agent parse proc-stats" merged; stats and rate optional) and prints the Prometheus exposition
            that "lvs-agent serve --metrics-listen" serves: node_exporter's node_ipvs_* and our lvs_*.
Every field is validated first; a bad one exits 1 naming the field.`;

const SaveInput = z.object({ services: z.array(z.unknown()) });
const MetricsInput = z.object({ services: z.array(Service), stats: Stats.optional(), rate: Rate.optional() });
const FORMATS = ['save', 'metrics'] as const;

function readJson(io: Io): unknown {
  try {
    return JSON.parse(io.stdin());
  } catch (e) {
    throw invalidField('input', `not JSON (${(e as Error).message})`);
  }
}

async function renderMetrics(json: unknown): Promise<string> {
  const parsed = MetricsInput.safeParse(json);
  if (!parsed.success) throw invalidInput(parsed.error, { where: 'input', prefix: true });
  const director = { director: '', ...parsed.data };
  return createMetricsExporter(() => [director], { directorLabel: false }).render();
}

export async function runRender(args: string[], io: Io): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    io.out(HELP + '\n');
    return 0;
  }
  const format = FORMATS.find((f) => f === args[0]);
  if (!format || args.length !== 1) {
    io.err('lvs-agent render: the formats are "save" and "metrics" (see lvs-agent render --help)\n');
    return 2;
  }
  try {
    const json = readJson(io);
    if (format === 'metrics') io.out(await renderMetrics(json));
    else {
      const parsed = SaveInput.safeParse(json);
      if (!parsed.success) throw invalidField('services', 'expected {"services": [...]}');
      io.out(renderSave(parsed.data.services as Service[]));
    }
    return 0;
  } catch (e) {
    if (e instanceof ApiError) {
      io.err(`lvs-agent render ${format}: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}

// The kernel's connection hash table: its size comes from the first line of /proc/net/ip_vs and of every ipvsadm -L
// (`IP Virtual Server version 1.2.1 (size=4096)`), 2^IP_VS_TAB_BITS buckets fixed when ip_vs loads. Entries are not
// limited by it: each bucket is a chain, so more entries than buckets only make every packet's lookup longer.
import { z } from 'zod';
import type { Service } from './model';

export const IpvsInfo = z.object({
  /** The IPVS version the kernel reports, e.g. 1.2.1. */
  version: z.string().min(1).max(32),
  /** Buckets of the connection hash table (2^IP_VS_TAB_BITS). */
  connTableSize: z.number().int().min(1),
});
export type IpvsInfo = z.infer<typeof IpvsInfo>;

/** `IP Virtual Server version 1.2.1 (size=4096)` -> {version, connTableSize}; null for any other line. */
export function parseVersionLine(line: string): IpvsInfo | null {
  const m = /^IP Virtual Server version (\S+) \(size=(\d+)\)\s*$/.exec(line.trim());
  if (!m) return null;
  const size = Number(m[2]);
  return size >= 1 ? { version: m[1]!, connTableSize: size } : null;
}

/** The kernel's own range for ip_vs conn_tab_bits (module parameter; CONFIG_IP_VS_TAB_BITS is its default). */
export const TAB_BITS_MIN = 8;
export const TAB_BITS_MAX = 20;
/** An average chain longer than this many entries per bucket is worth a larger table. */
export const BUSY_CHAIN = 4;

export interface ConnTableSizing {
  size: number;
  /** log2(size): the IP_VS_TAB_BITS the module was loaded with. */
  bits: number;
  entries: number;
  /** Average entries per bucket (the mean chain length a lookup walks). */
  perBucket: number;
  level: 'ok' | 'busy';
  /** What the figures mean, in a sentence or two. */
  meaning: string;
  /** The module option that would give a table about as large as the entries (null when the table is large enough). */
  suggestion: string | null;
}

/** Connection entries the listing accounts for: active and inactive connections plus persistence templates. */
export function listedEntries(services: readonly Service[]): number {
  let n = 0;
  for (const s of services)
    for (const d of s.destinations) n += d.activeConns + d.inactiveConns + (d.persistConns ?? 0);
  return n;
}

export function connTableSizing(entries: number, size: number): ConnTableSizing {
  const bits = Math.round(Math.log2(size));
  const perBucket = entries / size;
  const level = perBucket > BUSY_CHAIN ? 'busy' : 'ok';
  const chain = perBucket < 0.1 ? 'well under one entry' : `${perBucket.toFixed(1)} entries`;
  const meaning =
    `${size} buckets (2^${bits}) for ${entries} entries: each packet's lookup walks ${chain} on average. ` +
    (level === 'ok'
      ? 'The table is large enough; entries are never refused, a fuller table only makes lookups slower.'
      : `Chains above ${BUSY_CHAIN} entries make every packet's lookup slower (entries are never refused). Size the table near the connections per second times how long an entry lasts.`);
  const want = Math.min(TAB_BITS_MAX, Math.max(TAB_BITS_MIN, Math.ceil(Math.log2(Math.max(1, entries)))));
  const suggestion =
    level === 'busy' && want > bits
      ? `echo 'options ip_vs conn_tab_bits=${want}' > /etc/modprobe.d/ip_vs.conf  # used when ip_vs next loads (at boot)`
      : null;
  return { size, bits, entries, perBucket, level, meaning, suggestion };
}

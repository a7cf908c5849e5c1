// Which services a running keepalived owns: the virtual servers of its keepalived.conf, read with the import parser.
// keepalived restores them on its next reload or check, so the dashboard warns before editing them.
import { open } from 'node:fs/promises';
import type { KeepalivedOwnership } from '../../lib/ipvs';
import { importKeepalived } from '../../lib/ipvs/keepalived-import';
import { serviceId, serviceKey } from '../../lib/ipvs/model';

export const KEEPALIVED_CONF = '/etc/keepalived/keepalived.conf';
/** A keepalived.conf larger than this is not read (the agent reads it every few ticks while keepalived runs). */
const MAX_CONF_BYTES = 1024 * 1024;

/** The services of keepalived.conf at `path`, or null with the reason it could not be read. */
export async function keepalivedOwnership(path = KEEPALIVED_CONF): Promise<KeepalivedOwnership> {
  let text: string;
  try {
    const file = await open(path, 'r');
    try {
      const { size } = await file.stat();
      if (size > MAX_CONF_BYTES) return { services: null, reason: `${path} is over ${MAX_CONF_BYTES} bytes` };
      text = await file.readFile('utf8');
    } finally {
      await file.close();
    }
  } catch (e) {
    return { services: null, reason: `cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? 'error'}` };
  }
  return ownershipOfConf(text, path);
}

/** The services keepalived.conf `text` (read from `path`) defines, or null with the reason it could not be read. */
export function ownershipOfConf(text: string, path = KEEPALIVED_CONF): KeepalivedOwnership {
  try {
    const r = importKeepalived(text);
    const services = r.services.map((s) => serviceId(serviceKey(s)));
    // an include is not followed: the services it holds are unknown
    const includes = r.notImported.some((n) => n.text.startsWith('include'));
    return includes ? { services, reason: `${path} includes other files, not read: it may own more` } : { services };
  } catch (e) {
    return { services: null, reason: `${path}: ${(e as Error).message}` };
  }
}

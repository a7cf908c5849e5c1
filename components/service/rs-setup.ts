// "Set up this real server": the lvs-agent rs-setup script for a real server's forwarding method and its service's
// VIP, built in the browser from the same pure code the agent's CLI prints (lib/rs-setup), with its undo script.
import { invalidInput } from '@/lib/errors';
import type { Destination, Service } from '@/lib/ipvs';
import { RsSetupOptions, type RsSetupInput } from '@/lib/rs-setup/options';
import { rsSetupScript } from '@/lib/rs-setup/script';

export type RsMode = RsSetupInput['mode'];

/** The script's mode for a forwarding method; null for local/bypass real servers, which need nothing set up. */
export function modeOf(forward: Destination['forward']): RsMode | null {
  return forward === 'route' ? 'dr' : forward === 'tunnel' ? 'tun' : forward === 'masq' ? 'nat' : null;
}

/** What the person adds: the VIPs of a fwmark service (it has none of its own) and, for NAT, the director's
 * address on the real servers' network. */
export interface RsSetupDraft {
  vips: string;
  gateway: string;
}

export interface RsSetup {
  mode: RsMode;
  /** The same script from the director's shell. */
  command: string;
  script: string;
  undo: string;
}

/** The scripts for this real server, or what is missing or wrong (naming the box). */
export function rsSetupFor(
  service: Service,
  d: Destination,
  draft: RsSetupDraft,
): { setup?: RsSetup; error?: { field: keyof RsSetupDraft | null; message: string } } {
  const mode = modeOf(d.forward);
  if (!mode) return { error: { field: null, message: `a ${d.forward} real server needs no set-up` } };
  const typed = draft.vips.split(/[\s,]+/).filter(Boolean);
  const vips = service.protocol === 'fwmark' ? typed : service.address ? [service.address] : [];
  const input: RsSetupInput = {
    mode,
    vips,
    ...(mode === 'tun' && d.tunnelType ? { tunnelType: d.tunnelType } : {}),
    ...(mode === 'tun' && d.tunnelPort !== undefined ? { tunnelPort: d.tunnelPort } : {}),
    ...(mode === 'nat' && draft.gateway.trim() ? { gateway: draft.gateway.trim() } : {}),
  };
  const parsed = RsSetupOptions.safeParse(input);
  if (!parsed.success) {
    const e = invalidInput(parsed.error);
    const field = e.field?.startsWith('vips') ? 'vips' : e.field === 'gateway' ? 'gateway' : null;
    return { error: { field, message: e.message } };
  }
  const o = parsed.data;
  const command = [
    'lvs-agent rs-setup --mode',
    mode,
    ...o.vips.flatMap((v) => ['--vip', v]),
    ...(mode === 'tun' && o.tunnelType !== 'ipip' ? ['--tun-type', o.tunnelType] : []),
    ...(mode === 'tun' && o.tunnelPort !== undefined ? ['--tun-port', String(o.tunnelPort)] : []),
    ...(o.gateway ? ['--gateway', o.gateway] : []),
  ].join(' ');
  return { setup: { mode, command, script: rsSetupScript(o), undo: rsSetupScript({ ...o, undo: true }) } };
}

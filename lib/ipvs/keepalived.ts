// The live table as keepalived.conf `virtual_server` blocks, for an operator who hands the table over to keepalived.
// Keywords follow keepalived.conf(5) and keepalived/check/check_parser.c of keepalived v2.4.3 (`lvs_sched` and
// `lvs_method` are the documented names; `lb_algo`/`lb_kind` are older aliases of the same keywords). Version floors
// of what may be written: gue/gre tunnels 2.0.18, mh flags and a port-less persistent virtual server 2.0.7, twos 2.2.5.
// The lab's table rendered by this passes `keepalived --config-test` of keepalived 2.2.7 (Debian 12) with no complaint
// but the expected "has no real servers - ignoring". No health checkers are written: keepalived keeps a real server
// without checkers in the table.
import type { DestinationConfig } from './edits';
import { ipFamily } from './ip';
import type { Destination, Service } from './model';
import { serviceId, serviceKey } from './model';
import { destConfigOf } from './save-format';

/** check_parser.c lvs_schedulers[]: lvs_sched refuses anything else (and keepalived then uses wlc). */
const SCHEDULERS = new Set([
  'rr',
  'wrr',
  'lc',
  'wlc',
  'lblc',
  'sh',
  'mh',
  'dh',
  'fo',
  'ovf',
  'lblcr',
  'sed',
  'nq',
  'twos',
]);
const PROTOCOL = { tcp: 'TCP', udp: 'UDP', sctp: 'SCTP' } as const;
/** LVS_MAX_TIMEOUT (31 days): persistence_timeout refuses more. */
const MAX_PERSISTENCE = 86400 * 31;
/** Free-form model strings are written as bare words; anything else could break out of its line. */
const WORD = /^[A-Za-z0-9._:-]+$/;

const I1 = '    ';
const I2 = I1 + I1;

function note(indent: string, text: string): string {
  // keepalived ends a comment at the line's end only, so the text must stay on one line
  return `${indent}# note: ${text.replace(/[\p{Cc}\\]+/gu, ' ')}`;
}

/** The `lvs_method` argument for a real server, or a reason keepalived cannot express it. */
function method(d: DestinationConfig): { ok: string } | { why: string } {
  if (d.forward === 'masq') return { ok: 'NAT' };
  if (d.forward === 'route') return { ok: 'DR' };
  const type = d.tunnelType ?? 'ipip';
  const csum = d.tunnelChecksum ?? 'nocsum';
  if (type === 'ipip')
    return csum === 'nocsum'
      ? { ok: 'TUN' }
      : { why: `ipip tunnel with ${csum} (keepalived allows no checksum option for ipip)` };
  if (type === 'gre')
    return csum === 'remcsum'
      ? { why: 'gre tunnel with remcsum (keepalived refuses it)' }
      : { ok: `TUN type gre${csum === 'csum' ? ' csum' : ''}` };
  if (d.tunnelPort === undefined) return { why: 'gue tunnel without a port (keepalived requires one)' };
  return { ok: `TUN type gue port ${d.tunnelPort}${csum === 'nocsum' ? '' : ` ${csum}`}` };
}

function flagLines(s: Service): string[] {
  return s.flags.map((f) => {
    if (/^flag-[123]$/.test(f)) return I1 + f;
    // keepalived honours sh-*/mh-* only after an lvs_sched of that scheduler
    if ((f === 'sh-port' || f === 'sh-fallback') && s.scheduler === 'sh') return I1 + f;
    if ((f === 'mh-port' || f === 'mh-fallback') && s.scheduler === 'mh') return I1 + f;
    return note(
      I1,
      `scheduler flag ${JSON.stringify(f)} with scheduler ${JSON.stringify(s.scheduler)} cannot be expressed`,
    );
  });
}

function realServer(s: Service, d: Destination, vsMethod: string | undefined): string[] {
  const c = destConfigOf(d);
  const out: string[] = [];
  const m = method(c);
  // keepalived gives DR/TUN real servers the virtual server's port (fwmark: none) and a port-less NAT one its port
  if (s.protocol === 'fwmark') {
    if (c.forward !== 'masq' && c.port !== 0)
      out.push(
        note(
          I1,
          `real server ${d.address} port ${c.port}: keepalived clears the port of a non-NAT real server of a fwmark service`,
        ),
      );
  } else if (c.port === 0 ? s.port !== 0 : c.forward !== 'masq' && c.port !== s.port) {
    out.push(
      note(
        I1,
        `real server ${d.address} port ${c.port}: keepalived uses the virtual server's port ${s.port ?? 0} instead`,
      ),
    );
  }
  out.push(`${I1}real_server ${d.address}${c.port ? ` ${c.port}` : ''} {`, `${I2}weight ${c.weight}`);
  if ('why' in m) out.push(note(I2, `${m.why}; keepalived would use ${vsMethod ?? 'NAT'}`));
  else if (m.ok !== vsMethod) out.push(`${I2}lvs_method ${m.ok}`);
  if (c.upperThreshold) out.push(`${I2}uthreshold ${c.upperThreshold}`);
  if (c.lowerThreshold) out.push(`${I2}lthreshold ${c.lowerThreshold}`);
  out.push(`${I1}}`);
  return out;
}

function virtualServer(s: Service): string[] {
  const id = serviceId(serviceKey(s));
  let header: string;
  if (s.protocol === 'fwmark') header = `virtual_server fwmark ${s.fwmark ?? 0}`;
  else if (s.address !== undefined && ipFamily(s.address) !== 0)
    header = `virtual_server ${s.address}${s.port ? ` ${s.port}` : ''}`;
  else return [note('', `service ${JSON.stringify(id)} skipped: no valid address`)];
  const body: string[] = [];
  // fwmark: the family would otherwise come from the real servers (IPv4 when all are tunnelled); it must also precede
  // persistence_granularity, which reads a netmask by the family known so far
  if (s.protocol === 'fwmark') body.push(`${I1}ip_family ${s.ipv6 ? 'inet6' : 'inet'}`);
  if (SCHEDULERS.has(s.scheduler)) body.push(`${I1}lvs_sched ${s.scheduler}`);
  else body.push(note(I1, `scheduler ${JSON.stringify(s.scheduler)} is unknown to keepalived, which would use wlc`));
  body.push(...flagLines(s));
  if (s.ops)
    body.push(
      s.protocol === 'udp' || s.protocol === 'fwmark'
        ? `${I1}ops`
        : note(
            I1,
            `one-packet scheduling (ops) on a ${PROTOCOL[s.protocol]} service: keepalived allows it for UDP and fwmark services only`,
          ),
    );
  // the first real server's method becomes the default; real servers that differ name their own
  const vsMethod = s.destinations.map((d) => method(destConfigOf(d))).find((m): m is { ok: string } => 'ok' in m)?.ok;
  if (vsMethod) body.push(`${I1}lvs_method ${vsMethod}`);
  if (s.protocol !== 'fwmark') body.push(`${I1}protocol ${PROTOCOL[s.protocol]}`); // keepalived ignores it for fwmark
  if (s.persistent !== undefined) {
    if (s.persistent <= MAX_PERSISTENCE) body.push(`${I1}persistence_timeout ${s.persistent}`);
    else body.push(note(I1, `persistence timeout ${s.persistent}s is above keepalived's limit of ${MAX_PERSISTENCE}s`));
  }
  if (s.netmask !== undefined) {
    // without a timeout keepalived would turn persistence on (360 s) for a granularity alone
    if (s.persistent !== undefined && WORD.test(s.netmask)) body.push(`${I1}persistence_granularity ${s.netmask}`);
    else
      body.push(note(I1, `persistence netmask ${JSON.stringify(s.netmask)} without persistence cannot be expressed`));
  }
  if (s.pe !== undefined)
    body.push(
      WORD.test(s.pe)
        ? `${I1}persistence_engine ${s.pe}`
        : note(I1, `persistence engine ${JSON.stringify(s.pe)} cannot be expressed`),
    );
  if (!s.destinations.length) body.push(note(I1, 'keepalived ignores a virtual_server without real servers'));
  for (const d of s.destinations) {
    if (ipFamily(d.address) === 0)
      body.push(note(I1, `real server ${JSON.stringify(d.address)} skipped: not an IP address`));
    else body.push('', ...realServer(s, d, vsMethod));
  }
  return [`${header} {`, ...body, '}'];
}

/** keepalived.conf text holding one virtual_server block per service, in table order. Counters are not written. */
export function renderKeepalived(services: readonly Service[]): string {
  const out = [
    '# IPVS virtual servers in keepalived.conf syntax (keepalived 2.x, checked against v2.4.3).',
    '# No health checkers are included: add them before relying on keepalived to take failed real servers out.',
  ];
  for (const s of services) out.push('', ...virtualServer(s));
  return out.join('\n') + '\n';
}

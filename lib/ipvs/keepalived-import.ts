// keepalived.conf as our services and health checks: virtual_server (ip port | fwmark N | group NAME) blocks,
// virtual_server_group ranges and fwmarks, real servers, checkers, sorry server, quorum. Keywords follow
// keepalived.conf(5) and keepalived/check/check_parser.c (v2.x; lb_algo/lb_kind are older names of lvs_sched/lvs_method).
// What our model cannot hold is listed by line with the reason, never dropped silently; a value our schemas refuse
// (a bad address, a weight out of range) is an error naming the line and the field.
import { z } from 'zod';
import { CheckConfig, HealthConfig, QuorumConfig, type ServiceHealthConfig } from '../health/config';
import {
  CHECKERS,
  checkerToCheck,
  readTiming,
  scriptCommand,
  type CheckerDefaults,
  type Skip,
} from '../health/keepalived-checkers';
import { DestinationConfig, ServiceConfig } from './edits';
import { ParseError } from './parse-error';
import { ipFamily } from './ip';
import { readConf, type ConfStatement } from './keepalived-conf';
import type { Destination, Service } from './model';
import { serviceId, serviceKey } from './model';
import { expandGroups, type GroupMember } from './keepalived-groups';

export interface NotImported {
  line: number;
  /** The line as written (trimmed, at most 120 characters). */
  text: string;
  reason: string;
}

export interface KeepalivedImport {
  services: Service[];
  health: HealthConfig;
  notImported: NotImported[];
}

const PROTOCOLS: Record<string, 'tcp' | 'udp' | 'sctp'> = { TCP: 'tcp', UDP: 'udp', SCTP: 'sctp' };
const FLAGS = new Set(['flag-1', 'flag-2', 'flag-3', 'sh-port', 'sh-fallback', 'mh-port', 'mh-fallback']);

/** keepalived's flag-1/flag-2 are IP_VS_SVC_F_SCHED1/2: sh-fallback/sh-port for sh, mh-fallback/mh-port for mh. */
function schedulerFlag(word: string, scheduler: string): string | undefined {
  if (scheduler !== 'sh' && scheduler !== 'mh') return undefined;
  if (word === 'flag-1') return `${scheduler}-fallback`;
  if (word === 'flag-2') return `${scheduler}-port`;
  return word.startsWith(`${scheduler}-`) ? word : undefined;
}
/** keepalived's IPVS_SVC_PERSISTENT_TIMEOUT: persistence_timeout without a value, or a granularity alone. */
const DEFAULT_PERSISTENCE = 360;
/** Keywords keepalived reads that change nothing in the IPVS table or our checks. */
/** The import cap of the dashboard (MAX_IMPORT_RULES): services plus real servers. */
const DEFAULT_MAX_RULES = 50_000;
const IGNORED = new Set(['hashed', 'snmp_name']);

type Method = Pick<DestinationConfig, 'forward' | 'tunnelType' | 'tunnelPort' | 'tunnelChecksum'>;

/** `NAT`, `DR`, `TUN [type ipip|gre|gue] [port N] [csum|nocsum|remcsum]`. */
function method(words: string[]): Method | undefined {
  const [kind, ...rest] = words;
  if (kind === 'NAT') return { forward: 'masq' };
  if (kind === 'DR') return { forward: 'route' };
  if (kind !== 'TUN') return undefined;
  const m: Method = { forward: 'tunnel' };
  for (let i = 0; i < rest.length; i++) {
    const w = rest[i];
    if (w === 'type' && ['ipip', 'gre', 'gue'].includes(rest[i + 1] ?? ''))
      m.tunnelType = rest[++i] as Method['tunnelType'];
    else if (w === 'port' && /^\d+$/.test(rest[i + 1] ?? '')) m.tunnelPort = Number(rest[++i]);
    else if (w === 'csum' || w === 'remcsum') m.tunnelChecksum = w;
    else if (w !== 'nocsum') return undefined;
  }
  if (m.tunnelType === 'ipip') delete m.tunnelType;
  return m;
}

function validate<T>(schema: z.ZodType<T>, value: unknown, st: ConfStatement, lines: string[], what: string): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const field = issue?.path.length ? `${what}.${issue.path.map(String).join('.')}` : what;
  throw new ParseError(st.line, (lines[st.line - 1] ?? '').trim(), `${field}: ${issue?.message ?? 'invalid'}`);
}

interface RealServer {
  st: ConfStatement;
  address: string;
  port?: number;
  weight: number;
  method?: Method;
  upper?: number;
  lower?: number;
  inhibit?: boolean;
  checks: ConfStatement[];
  timing: CheckerDefaults;
}

class Reader {
  readonly notImported: NotImported[] = [];
  /** Services and real servers built so far, against the cap. */
  private rules = 0;
  constructor(
    readonly lines: string[],
    readonly maxRules: number,
  ) {}

  /** Counts `n` more rules; throws once the cap is passed (a group range multiplies its real servers). */
  count(n: number, st: ConfStatement) {
    this.rules += n;
    if (this.rules > this.maxRules)
      throw new ParseError(
        st.line,
        (this.lines[st.line - 1] ?? '').trim(),
        `more than ${this.maxRules} services and real servers`,
      );
  }

  skip = (s: Skip) => {
    const text = (this.lines[s.line - 1] ?? '').trim();
    this.notImported.push({
      line: s.line,
      text: text.length > 120 ? `${text.slice(0, 117)}...` : text,
      reason: s.reason,
    });
  };

  skipStatement(st: ConfStatement, reason: string) {
    this.skip({ line: st.line, reason });
  }

  realServer(st: ConfStatement): RealServer {
    const rs: RealServer = { st, address: st.words[1] ?? '', weight: 1, checks: [], timing: {} };
    if (st.words[2] !== undefined) rs.port = /^\d+$/.test(st.words[2]) ? Number(st.words[2]) : -1;
    for (const s of st.block ?? []) {
      const [key, arg] = s.words;
      if (key === undefined) continue;
      if (key === 'weight') rs.weight = /^\d+$/.test(arg ?? '') ? Number(arg) : -1;
      else if (key === 'lvs_method' || key === 'lb_kind') {
        rs.method = method(s.words.slice(1));
        if (!rs.method) this.skipStatement(s, `${key}: not NAT, DR or TUN with known tunnel options`);
      } else if (key === 'uthreshold') rs.upper = Number(arg);
      else if (key === 'lthreshold') rs.lower = Number(arg);
      else if (key === 'inhibit_on_failure') rs.inhibit = arg !== 'false' && arg !== 'no';
      else if (CHECKERS.has(key)) rs.checks.push(s);
      else if (!readTiming(s, rs.timing, this.skip)) this.skipStatement(s, `real_server ${key}: not expressible`);
    }
    return rs;
  }

  /** A real server's first checker as our check (keepalived requires all its checkers to pass; we run one). */
  checkOf(rs: RealServer, timing: CheckerDefaults, inhibit: boolean): CheckConfig | undefined {
    const [first, ...more] = rs.checks;
    for (const extra of more)
      this.skipStatement(extra, 'a second checker: our real servers have one check (the first is imported)');
    if (!first) return undefined;
    const check = checkerToCheck(first, { ...timing, ...rs.timing }, rs.inhibit ?? inhibit, this.skip);
    return check ? validate(CheckConfig, check, first, this.lines, first.words[0] ?? 'checker') : undefined;
  }

  virtualServer(st: ConfStatement, members: GroupMember[], out: Service[], health: ServiceHealthConfig[]) {
    const base = {
      scheduler: 'wlc',
      flags: [] as string[],
      ops: false,
      protocol: 'tcp' as 'tcp' | 'udp' | 'sctp',
    };
    let vsMethod: Method = { forward: 'masq' };
    let persistent: number | undefined;
    let netmask: string | undefined;
    let pe: string | undefined;
    let ipv6: boolean | undefined;
    let inhibit = false;
    let sorry: { st: ConfStatement; address: string; port?: number; method?: Method } | undefined;
    let sorryMethod: Method | undefined;
    const quorum: { minWeight?: number; hysteresis?: number; onLost?: string[]; onRegained?: string[] } = {};
    let quorumSt: ConfStatement | undefined;
    const timing: CheckerDefaults = {};
    const reals: RealServer[] = [];
    const flagStatements: ConfStatement[] = [];
    for (const s of st.block ?? []) {
      const [key, arg] = s.words;
      if (key === undefined) continue;
      if (key === 'lvs_sched' || key === 'lb_algo') base.scheduler = arg ?? 'wlc';
      else if (FLAGS.has(key)) flagStatements.push(s);
      else if (key === 'ops') base.ops = true;
      else if (key === 'ip_family') ipv6 = arg === 'inet6';
      else if (key === 'lvs_method' || key === 'lb_kind') {
        const m = method(s.words.slice(1));
        if (m) vsMethod = m;
        else this.skipStatement(s, `${key}: not NAT, DR or TUN with known tunnel options`);
      } else if (key === 'protocol') {
        const p = PROTOCOLS[arg ?? ''];
        if (p) base.protocol = p;
        else this.skipStatement(s, `protocol ${JSON.stringify(arg ?? '')}: IPVS services are TCP, UDP or SCTP`);
      } else if (key === 'persistence_timeout') persistent = arg === undefined ? DEFAULT_PERSISTENCE : Number(arg);
      else if (key === 'persistence_granularity') netmask = arg;
      else if (key === 'persistence_engine') pe = arg;
      else if (key === 'inhibit_on_failure') inhibit = arg !== 'false' && arg !== 'no';
      else if (key === 'sorry_server') {
        const port = s.words[2];
        sorry = { st: s, address: arg ?? '', ...(port !== undefined ? { port: Number(port) } : {}) };
      } else if (key === 'sorry_server_lvs_method') sorryMethod = method(s.words.slice(1));
      else if (key === 'quorum') {
        quorum.minWeight = Number(arg);
        quorumSt = s;
      } else if (key === 'hysteresis') quorum.hysteresis = Number(arg);
      else if (key === 'quorum_up') quorum.onRegained = scriptCommand(s, this.skip) ?? quorum.onRegained;
      else if (key === 'quorum_down') quorum.onLost = scriptCommand(s, this.skip) ?? quorum.onLost;
      else if (key === 'real_server') reals.push(this.realServer(s));
      else if (IGNORED.has(key)) continue;
      else if (readTiming(s, timing, this.skip)) continue;
      else this.skipStatement(s, `${key}: not expressible in our services or checks`);
    }
    for (const f of flagStatements) {
      const flag = schedulerFlag(f.words[0] ?? '', base.scheduler);
      if (flag) base.flags.push(flag);
      else this.skipStatement(f, `${f.words[0] ?? ''}: IPVS honours it only with the sh or mh scheduler`);
    }
    if (!reals.length) {
      this.skipStatement(st, 'a virtual_server without real servers (keepalived ignores it too)');
      return;
    }
    if (persistent === undefined && netmask !== undefined) persistent = DEFAULT_PERSISTENCE;
    const rsChecks = reals.map((rs) => this.checkOf(rs, timing, inhibit));
    for (const member of members) {
      this.count(1 + reals.length, member.st);
      const fwmark = member.fwmark !== undefined;
      const vsPort = member.port ?? 0;
      const destinations: Destination[] = [];
      const checks: ServiceHealthConfig['destinations'] = [];
      const v6 = fwmark ? (ipv6 ?? reals.some((r) => ipFamily(r.address) === 6)) : ipFamily(member.address ?? '') === 6;
      for (const rs of reals) {
        const m = rs.method ?? vsMethod;
        // keepalived: a DR/TUN real server takes the virtual server's port (none for fwmark), a port-less NAT one too
        const port = m.forward !== 'masq' ? (fwmark ? 0 : vsPort) : (rs.port ?? (fwmark ? 0 : vsPort));
        const config = {
          address: rs.address,
          port,
          weight: rs.weight,
          ...m,
          ...(rs.upper ? { upperThreshold: rs.upper } : {}),
          ...(rs.lower ? { lowerThreshold: rs.lower } : {}),
        };
        const d = validate(DestinationConfig, config, rs.st, this.lines, 'real_server');
        destinations.push({ ...d, activeConns: 0, inactiveConns: 0 });
        const check = rsChecks[reals.indexOf(rs)];
        if (check) checks.push({ destination: { address: d.address, port: d.port }, check });
      }
      const config = {
        protocol: fwmark ? 'fwmark' : base.protocol,
        ...(fwmark ? { fwmark: member.fwmark, ...(v6 ? { ipv6: true } : {}) } : {}),
        ...(!fwmark ? { address: member.address, port: vsPort } : {}),
        scheduler: base.scheduler,
        flags: base.flags,
        ops: base.ops,
        ...(persistent !== undefined ? { persistent } : {}),
        ...(netmask !== undefined ? { netmask } : {}),
        ...(pe !== undefined ? { pe } : {}),
      };
      const svc = validate(ServiceConfig, config, member.st, this.lines, 'virtual_server');
      out.push({ ...svc, destinations });
      const entry: Record<string, unknown> = { service: serviceKey(svc), destinations: checks };
      if (sorry) {
        const m = sorryMethod ?? vsMethod;
        const port = m.forward !== 'masq' ? (fwmark ? 0 : vsPort) : (sorry.port ?? vsPort);
        entry.sorryServer = validate(
          DestinationConfig,
          { address: sorry.address, port, weight: 1, ...m },
          sorry.st,
          this.lines,
          'sorry_server',
        );
      }
      if (quorum.minWeight !== undefined || quorum.onLost || quorum.onRegained)
        entry.quorum = validate(
          QuorumConfig,
          { minWeight: quorum.minWeight ?? 1, ...quorum },
          quorumSt ?? st,
          this.lines,
          'quorum',
        );
      if (checks.length || entry.sorryServer || entry.quorum) health.push(entry as never);
    }
  }
}

/** Parse keepalived.conf text into services and checks; throws a ParseError naming the line and field of a value our
 * schemas refuse. Lines it cannot express are in `notImported`. */
export function importKeepalived(text: string, maxRules = DEFAULT_MAX_RULES): KeepalivedImport {
  const lines = text.split('\n');
  const { statements, skipped } = readConf(text);
  const reader = new Reader(lines, maxRules);
  for (const s of skipped) reader.skip(s);
  const groups = expandGroups(statements, reader.skip, maxRules);
  const services: Service[] = [];
  const health: ServiceHealthConfig[] = [];
  for (const st of statements) {
    const key = st.words[0];
    if (key === 'virtual_server_group') continue;
    if (key === 'include') reader.skipStatement(st, 'include: the included files are not read');
    else if (key !== 'virtual_server')
      reader.skipStatement(st, `${key ?? 'block'}: not a virtual server (not part of the IPVS table or its checks)`);
    else {
      const members = membersOf(st, groups, reader);
      if (members) reader.virtualServer(st, members, services, health);
    }
  }
  const seen = new Set<string>();
  for (const s of services) {
    const id = serviceId(serviceKey(s));
    if (seen.has(id)) throw new ParseError(0, '', `virtual_server: ${id} is defined twice`);
    seen.add(id);
  }
  const checked = HealthConfig.safeParse({ services: health });
  if (!checked.success) {
    const i = checked.error.issues[0];
    throw new ParseError(0, '', `checks.${i?.path.map(String).join('.') ?? ''}: ${i?.message ?? 'invalid'}`);
  }
  reader.notImported.sort((a, b) => a.line - b.line);
  return { services, health: checked.data, notImported: reader.notImported };
}

function membersOf(st: ConfStatement, groups: Map<string, GroupMember[]>, reader: Reader): GroupMember[] | null {
  const [, first, second] = st.words;
  if (first === 'group') {
    const members = groups.get(second ?? '');
    if (!members)
      reader.skipStatement(st, `group ${JSON.stringify(second ?? '')}: no virtual_server_group by that name`);
    return members ?? null;
  }
  if (first === 'fwmark') {
    const mark = /^\d+$/.test(second ?? '') ? Number(second) : -1;
    return [{ st, fwmark: mark }];
  }
  return [
    { st, address: first ?? '', ...(second !== undefined ? { port: /^\d+$/.test(second) ? Number(second) : -1 } : {}) },
  ];
}

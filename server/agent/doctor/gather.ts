// Gathers what the doctor checks on this director: procfs and sysctls read as files, addresses and routes from
// iproute2's JSON output (`ip` run with execFile and an argv array, never a shell).
import { execFile } from 'node:child_process';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { canonicalIP, parseProcServices, type Service } from '../../../lib/ipvs';
import {
  DOCTOR_SYSCTLS,
  IpAddrShow,
  IpRouteGet,
  type DoctorFacts,
  type IpAddrLink,
  type RouteLookup,
} from '../../../lib/doctor/facts';

/** Bounds: a table with more addresses than this gets the first ones looked up; /proc gets this many processes read. */
export const MAX_ROUTE_LOOKUPS = 512;
export const MAX_PROCESSES = 8192;

export type IpRunner = (args: string[]) => Promise<{ ok: true; stdout: string } | { ok: false; stderr: string }>;

export const runIp: IpRunner = (args) =>
  new Promise((resolve) => {
    execFile('ip', args, { timeout: 5000, maxBuffer: 16 * 1024 * 1024, encoding: 'utf8' }, (e, stdout, stderr) => {
      resolve(e ? { ok: false, stderr: (stderr || e.message).trim() } : { ok: true, stdout });
    });
  });

export interface GatherOptions {
  /** Where procfs is mounted (a directory tree shaped like it in tests). */
  procRoot?: string;
  ip?: IpRunner;
}

async function readText(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return null;
  }
}

async function processNames(procRoot: string): Promise<string[]> {
  const pids = (await readdir(procRoot).catch(() => [] as string[])).filter((n) => /^\d+$/.test(n));
  const names = await Promise.all(pids.slice(0, MAX_PROCESSES).map((pid) => readText(join(procRoot, pid, 'comm'))));
  return [...new Set(names.filter((n): n is string => n !== null).map((n) => n.trim()))];
}

async function addresses(ip: IpRunner): Promise<IpAddrLink[]> {
  const r = await ip(['-j', 'addr', 'show']);
  if (!r.ok) throw new Error(`ip -j addr show failed: ${r.stderr}`);
  return IpAddrShow.parse(JSON.parse(r.stdout));
}

async function lookupRoute(ip: IpRunner, address: string): Promise<RouteLookup> {
  const r = await ip(['-j', 'route', 'get', address]);
  if (!r.ok) return { error: r.stderr };
  const parsed = IpRouteGet.safeParse(JSON.parse(r.stdout));
  return parsed.success ? { route: parsed.data[0]! } : { error: `unexpected ip -j route get output: ${r.stdout}` };
}

function addressesToLook(services: Service[]): string[] {
  const all = services.flatMap((s) => [...(s.address ? [s.address] : []), ...s.destinations.map((d) => d.address)]);
  return [...new Set(all.map(canonicalIP))].slice(0, MAX_ROUTE_LOOKUPS);
}

export async function gatherFacts(opts: GatherOptions = {}): Promise<DoctorFacts> {
  const procRoot = opts.procRoot ?? '/proc';
  const ip = opts.ip ?? runIp;
  const [modulesText, ipvsText, processes, addrs] = await Promise.all([
    readText(join(procRoot, 'modules')),
    readText(join(procRoot, 'net/ip_vs')),
    processNames(procRoot),
    addresses(ip),
  ]);
  const services = ipvsText === null ? [] : parseProcServices(ipvsText);
  const sysctls: DoctorFacts['sysctls'] = {};
  for (const name of DOCTOR_SYSCTLS) {
    const v = await readText(join(procRoot, 'sys', ...name.split('.')));
    if (v !== null) sysctls[name] = v.trim();
  }
  const routes: DoctorFacts['routes'] = {};
  for (const a of addressesToLook(services)) routes[a] = await lookupRoute(ip, a);
  return {
    // /proc/modules: "name size refcount deps state address", one module a line
    modules: modulesText === null ? null : modulesText.split('\n').flatMap((l) => l.split(' ')[0] || []),
    ipvsVersionLine: ipvsText?.split('\n')[0] ?? null,
    services,
    sysctls,
    addresses: addrs,
    routes,
    processes,
  };
}

// Dashboard server settings from the environment and the command line, validated before anything starts.
import { isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';
import { passwordProblem } from '../../lib/password-strength';
import { Password } from '../../lib/roles';

/** LVS_TRUST_PROXY=1: a reverse proxy on this host (it connects from loopback). */
const LOOPBACK = ['127.0.0.0/8', '::1'];

function isAddressOrSubnet(p: string): boolean {
  const [address = '', bits, ...rest] = p.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128));
}

const Env = z.object({
  PORT: z
    .string()
    .regex(/^\d{1,5}$/, 'must be a port number (0 picks a free port)')
    .transform(Number)
    .refine((n) => n <= 65535, 'must be at most 65535')
    .optional(),
  HOST: z.string().trim().min(1, 'must not be empty').optional(),
  NODE_ENV: z.enum(['development', 'production', 'test']).optional(),
  LVS_DATA_DIR: z.string().trim().min(1, 'must not be empty').optional(),
  LVS_ADMIN_PASSWORD: Password.optional(),
  LVS_TRUST_PROXY: z
    .string()
    .transform((s) =>
      s
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean),
    )
    .transform((list) => (list.length === 1 && list[0] === '1' ? LOOPBACK : list.filter((p) => p !== '0')))
    .refine(
      (list) => list.every(isAddressOrSubnet),
      'comma-separated proxy addresses or subnets (10.0.0.5,10.0.1.0/24), 1 for a proxy on this host, 0 for none',
    )
    .optional(),
  LVS_SETUP_REMOTE: z.enum(['0', '1'], { message: 'must be 0 or 1' }).optional(),
  LVS_ORIGINS: z
    .string()
    .transform((s) =>
      s
        .split(',')
        .map((o) => o.trim())
        .filter(Boolean),
    )
    .refine(
      (list) => list.every((o) => /^https?:\/\/[^/\s]+$/.test(o)),
      'comma-separated origins like https://lvs.example.net (no path)',
    )
    .optional(),
});

export type NodeEnv = 'development' | 'production' | 'test';

export interface DashboardConfig {
  dev: boolean;
  port: number;
  hostname: string;
  nodeEnv: NodeEnv;
  /** The SQLite file (accounts, sessions, audit, stats history, snapshots). */
  dbFile: string;
  /** Creates the account `admin` with this password when there is no account yet. */
  adminPassword?: string;
  /** Reverse proxies whose X-Forwarded-For/-Proto are believed (addresses or subnets); empty: none. */
  trustedProxies: string[];
  extraOrigins: string[];
  /** The first start's setup link also works from other machines (default: 127.0.0.1 and ::1 only). */
  setupRemote: boolean;
}

export const USAGE =
  'usage: main.ts [--dev]   (env: PORT=3000, HOST=127.0.0.1, NODE_ENV, LVS_DATA_DIR=./data, LVS_ADMIN_PASSWORD, LVS_TRUST_PROXY=0|1|PROXY,..., LVS_ORIGINS, LVS_SETUP_REMOTE=0|1)';

/** Throws an Error whose message is fit to print, naming the offending variable or argument. */
export function loadConfig(
  env: Record<string, string | undefined>,
  argv: readonly string[],
  cwd = process.cwd(),
): DashboardConfig {
  const unknown = argv.filter((a) => a !== '--dev');
  if (unknown.length > 0) throw new Error(`unknown argument ${unknown[0]}\n${USAGE}`);
  const dev = argv.includes('--dev');

  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${issue?.path.join('.') ?? 'environment'}: ${issue?.message ?? 'invalid'}`);
  }
  const {
    PORT = 3000,
    HOST = '127.0.0.1',
    NODE_ENV,
    LVS_DATA_DIR = 'data',
    LVS_ADMIN_PASSWORD,
    LVS_TRUST_PROXY = [],
    LVS_ORIGINS = [],
    LVS_SETUP_REMOTE,
  } = parsed.data;
  const weak = LVS_ADMIN_PASSWORD && passwordProblem(LVS_ADMIN_PASSWORD, 'admin');
  if (weak) throw new Error(`LVS_ADMIN_PASSWORD: ${weak}`);
  // React and Next.js pick their build from NODE_ENV: it must agree with the mode.
  if (dev && NODE_ENV === 'production') throw new Error('NODE_ENV=production contradicts --dev');
  if (!dev && NODE_ENV === 'development') throw new Error('NODE_ENV=development needs --dev (npm run dev)');

  return {
    dev,
    port: PORT,
    hostname: HOST,
    nodeEnv: NODE_ENV ?? (dev ? 'development' : 'production'),
    dbFile: path.resolve(cwd, LVS_DATA_DIR, 'lvs-dashboard.db'),
    adminPassword: LVS_ADMIN_PASSWORD,
    trustedProxies: LVS_TRUST_PROXY,
    extraOrigins: LVS_ORIGINS,
    setupRemote: LVS_SETUP_REMOTE === '1',
  };
}

// Which agents the dashboard talks to, from the environment:
//   LVS_AGENTS="lvs1=https://10.0.0.1:7070,lvs2=https://10.0.0.2:7070"
//   LVS_AGENT_TOKEN (all), LVS_AGENT_TOKEN_LVS1 (one), or LVS_AGENT_TOKEN_FILE / LVS_AGENT_TOKEN_FILE_LVS1
//   LVS_AGENT_CA_FILE (all) / LVS_AGENT_CA_FILE_LVS1 (one): the PEM certificate an https agent must present (its own
//   self-signed certificate, pinned) or the CA that signed it; without one, the system's CAs.
// With no LVS_AGENTS and a running lab (.lab/token), the lab's agent on 127.0.0.1:7070 is used.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NewDirectorName } from '../../lib/api/director-config';
import type { AgentEndpoint } from './agent-link-types';

function readPem(file: string, what: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`${what}: cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  if (!text.includes('-----BEGIN CERTIFICATE-----')) throw new Error(`${what}: ${file} holds no PEM certificate`);
  return text;
}

export function agentsFromEnv(env: Record<string, string | undefined>, root: string): AgentEndpoint[] {
  const spec = env.LVS_AGENTS?.trim();
  if (!spec) {
    const labToken = join(root, '.lab', 'token');
    if (!existsSync(labToken)) return [];
    const port = env.LAB_AGENT_PORT ?? '7070';
    return [{ name: 'lab', url: `http://127.0.0.1:${port}`, token: readFileSync(labToken, 'utf8').trim() }];
  }
  return spec.split(',').map((entry, i) => {
    const m = /^([^=\s]+)=(https?:\/\/\S+)$/i.exec(entry.trim());
    if (!m || !NewDirectorName.safeParse(m[1]).success)
      throw new Error(`LVS_AGENTS entry ${i + 1} (${JSON.stringify(entry)}): expected NAME=http(s)://HOST:PORT`);
    const [, name = '', url = ''] = m;
    const key = name.toUpperCase().replace(/-/g, '_');
    const file = env[`LVS_AGENT_TOKEN_FILE_${key}`] ?? env.LVS_AGENT_TOKEN_FILE;
    const token =
      env[`LVS_AGENT_TOKEN_${key}`] ?? env.LVS_AGENT_TOKEN ?? (file ? readFileSync(file, 'utf8').trim() : undefined);
    if (!token)
      throw new Error(
        `LVS_AGENTS ${name}: no token (set LVS_AGENT_TOKEN_${key}, LVS_AGENT_TOKEN or LVS_AGENT_TOKEN_FILE)`,
      );
    const caFile = env[`LVS_AGENT_CA_FILE_${key}`] ?? env.LVS_AGENT_CA_FILE;
    if (caFile && url.startsWith('http:'))
      throw new Error(`LVS_AGENTS ${name}: a CA file is set but the URL is http:// (use https://)`);
    return { name, url, token, ...(caFile ? { ca: readPem(caFile, `LVS_AGENT_CA_FILE for ${name}`) } : {}) };
  });
}

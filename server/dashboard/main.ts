// Entry point of the dashboard server: `npm run dev` (with --dev) or `npm start` (production, via scripts/start.mjs).
import { loadConfig, type DashboardConfig } from './config';

let config: DashboardConfig;
try {
  config = loadConfig(process.env, process.argv.slice(2));
} catch (err) {
  console.error(`lvs-dashboard: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(2);
}
// Set before Next.js and React are loaded: both choose their development or production build from it. No Next.js
// telemetry (nor its notice on the first `npm run dev`): the dashboard sends nothing off the machine.
Object.assign(process.env, {
  NODE_ENV: config.nodeEnv,
  NEXT_TELEMETRY_DISABLED: process.env.NEXT_TELEMETRY_DISABLED ?? '1',
});

const { createDashboard } = await import('./create-dashboard');
const { agentsFromEnv } = await import('../hub/agents-config');
let agents;
try {
  agents = agentsFromEnv(process.env, process.cwd());
} catch (err) {
  console.error(`lvs-dashboard: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(2);
}
console.log(
  `lvs-dashboard: directors: ${agents.length ? agents.map((a) => `${a.name} (${a.url})`).join(', ') : 'none (set LVS_AGENTS, or start the lab: npm run lab)'}`,
);
const { openDb } = await import('../hub/store/db');
const db = openDb(config.dbFile);
const dashboard = createDashboard({
  dev: config.dev,
  port: config.port,
  hostname: config.hostname,
  agents,
  db,
  policy: { trustedProxies: config.trustedProxies, extraOrigins: config.extraOrigins },
});
const users = dashboard.hub.users;
if (users.count() === 0) {
  if (config.adminPassword) {
    await users.add('admin', config.adminPassword, 'admin');
    console.log('lvs-dashboard: created the account admin (from LVS_ADMIN_PASSWORD)');
  } else {
    console.warn(
      'lvs-dashboard: no accounts yet: set LVS_ADMIN_PASSWORD for the first start, or run: npm run user -- add NAME --role admin',
    );
  }
}

let stopping = false;
async function stop(signal: NodeJS.Signals): Promise<void> {
  if (stopping) process.exit(1); // a second Ctrl-C does not wait
  stopping = true;
  console.log(`lvs-dashboard: ${signal}, shutting down`);
  await dashboard.close();
  db.close();
  process.exit(0);
}
process.on('SIGINT', (s) => void stop(s));
process.on('SIGTERM', (s) => void stop(s));

try {
  const port = await dashboard.listen();
  const host = config.hostname.includes(':') ? `[${config.hostname}]` : config.hostname;
  console.log(`lvs-dashboard: http://${host}:${port}/ (${config.dev ? 'development' : config.nodeEnv})`);
} catch (err) {
  console.error('lvs-dashboard: cannot start:', err instanceof Error ? err.message : err);
  await dashboard.close();
  process.exit(1);
}

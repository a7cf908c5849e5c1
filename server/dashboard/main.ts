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
const { metricsOptionsFromEnv } = await import('./metrics');
let agents, metrics;
try {
  agents = agentsFromEnv(process.env, process.cwd());
  metrics = metricsOptionsFromEnv(process.env);
} catch (err) {
  console.error(`lvs-dashboard: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(2);
}
const { openDb } = await import('../hub/store/db');
const db = openDb(config.dbFile);
const stored = (db.prepare('SELECT count(*) AS n FROM directors').get() as { n: number }).n;
// With no director configured (LVS_AGENTS or added in the UI) and no lab running, a simulated one in this process,
// so the product can be tried.
let simulated: import('../agent/simulator/serve-simulated').SimulatedAgent | undefined;
if (agents.length === 0 && stored === 0) {
  const { startSimulatedAgent } = await import('../agent/simulator/serve-simulated');
  simulated = await startSimulatedAgent({ name: 'simulated', conns: 2000 });
  agents = [{ name: 'simulated', url: simulated.url, token: simulated.token }];
  console.log(
    'lvs-dashboard: no director configured (LVS_AGENTS) and no lab running: started an embedded SIMULATED director ' +
      '"simulated" (in memory, no kernel; the demo set-ups of the LVS guides under a synthetic load). ' +
      'Set LVS_AGENTS or start the lab (npm run lab) to manage a real one.',
  );
} else
  console.log(
    `lvs-dashboard: directors: ${[...agents.map((a) => `${a.name} (${a.url})`), ...(stored ? [`${stored} added in the UI`] : [])].join(', ')}`,
  );
const dashboard = createDashboard({
  dev: config.dev,
  port: config.port,
  hostname: config.hostname,
  agents,
  db,
  policy: { trustedProxies: config.trustedProxies, extraOrigins: config.extraOrigins },
  metrics,
});
const users = dashboard.services.users;
dashboard.services.firstAdmin.allowRemote = config.setupRemote;
if (users.count() === 0 && config.adminPassword) {
  await users.add('admin', config.adminPassword, 'admin');
  console.log('lvs-dashboard: created the account admin (from LVS_ADMIN_PASSWORD)');
}

let stopping = false;
async function stop(signal: NodeJS.Signals): Promise<void> {
  if (stopping) process.exit(1); // a second Ctrl-C does not wait
  stopping = true;
  console.log(`lvs-dashboard: ${signal}, shutting down`);
  await dashboard.close();
  await simulated?.close();
  db.close();
  process.exit(0);
}
process.on('SIGINT', (s) => void stop(s));
process.on('SIGTERM', (s) => void stop(s));

try {
  const port = await dashboard.listen();
  const host = config.hostname.includes(':') ? `[${config.hostname}]` : config.hostname;
  console.log(`lvs-dashboard: http://${host}:${port}/ (${config.dev ? 'development' : config.nodeEnv})`);
  const setupToken = dashboard.services.firstAdmin.issue();
  if (setupToken) {
    // The link names the address the browser should use: loopback when listening on every address.
    const linkHost = ['0.0.0.0', '::'].includes(config.hostname) ? '127.0.0.1' : host;
    console.log(
      `lvs-dashboard: no account yet. Create the first admin (one-time link, valid until used${config.setupRemote ? '' : ', from this machine only'}):\n` +
        `  http://${linkHost}:${port}/setup?token=${setupToken}\n` +
        '  (or set LVS_ADMIN_PASSWORD, or run: npm run user -- add NAME --role admin)',
    );
  }
} catch (err) {
  console.error('lvs-dashboard: cannot start:', err instanceof Error ? err.message : err);
  await dashboard.close();
  process.exit(1);
}

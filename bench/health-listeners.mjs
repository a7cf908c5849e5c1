// For bench/health-checks.ts: N HTTP servers on 127.0.0.1 (ephemeral ports) in their own process. Sends the ports to
// the parent, then the number of connections accepted (one per check) whenever asked.
import { createServer } from 'node:http';

const count = Number(process.argv[2] ?? 1000);
let accepted = 0;
const ports = [];
for (let i = 0; i < count; i++) {
  const s = createServer((_req, res) => res.end('ok\n'));
  s.on('connection', () => accepted++);
  await new Promise((r) => s.listen(0, '127.0.0.1', r));
  ports.push(s.address().port);
}
process.send(ports);
process.on('message', () => process.send(accepted));

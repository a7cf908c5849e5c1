// Once per lab run: the NAT/DR/TUN topology (namespaces, real servers), with no IPVS rules yet.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export default function setup(): void {
  if (!existsSync('/run/netns/client')) {
    execFileSync('sh', [join(__dirname, '..', 'topology'), 'up'], { stdio: 'inherit' });
  }
}

// npm run user -- add NAME --role admin|operator|viewer | passwd NAME | role NAME ROLE | delete NAME | list
// Manages accounts in the dashboard's database (LVS_DATA_DIR, default ./data) directly, for the first admin and for
// recovery. The password comes from LVS_PASSWORD or the first line of stdin, never from the command line (where
// other users could read it in the process list).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ApiError } from '../../lib/errors';
import { passwordProblem } from '../../lib/password-strength';
import { RoleSchema, UserName } from '../../lib/roles';
import { SessionStore } from '../hub/auth/sessions';
import { UserStore } from '../hub/auth/users';
import { openDb } from '../hub/store/db';

const USAGE = `usage: npm run user -- COMMAND
  add NAME --role viewer|operator|admin   create an account (password from LVS_PASSWORD or stdin)
  passwd NAME                             set a new password (ends the account's sessions)
  role NAME viewer|operator|admin         change the role
  delete NAME                             delete the account and its sessions
  list                                    list accounts
The database is LVS_DATA_DIR/lvs-dashboard.db (default ./data).`;

class CliError extends Error {}

function check<T>(
  schema: {
    safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: { message: string }[] } };
  },
  value: unknown,
  what: string,
): T {
  const r = schema.safeParse(value);
  if (!r.success) throw new CliError(`${what}: ${r.error.issues[0]?.message ?? 'invalid'}`);
  return r.data;
}

/** The new password of the account `name`, refused when too easy to guess (the same rule as the API and the UI). */
function readPassword(name: string): string {
  const fromEnv = process.env.LVS_PASSWORD;
  const raw = fromEnv ?? (process.stdin.isTTY ? '' : (readFileSync(0, 'utf8').split(/\r?\n/)[0] ?? ''));
  if (!raw) throw new CliError('password: give it in LVS_PASSWORD or on stdin (echo ... | npm run user -- ...)');
  const problem = passwordProblem(raw, name);
  if (problem) throw new CliError(`password: ${problem}`);
  return raw;
}

async function main(args: string[]): Promise<void> {
  const [cmd, ...rest] = args;
  if (!cmd || cmd === '--help' || cmd === '-h') {
    console.log(USAGE);
    return;
  }
  const db = openDb(path.resolve(process.env.LVS_DATA_DIR ?? 'data', 'lvs-dashboard.db'));
  const users = new UserStore(db);
  const sessions = new SessionStore(db);
  const existing = (name: string) => {
    const u = users.get(check(UserName, name, 'NAME'));
    if (!u) throw new CliError(`no user named ${name}`);
    return u;
  };
  try {
    switch (cmd) {
      case 'add': {
        const i = rest.indexOf('--role');
        const name = check(UserName, rest[0], 'NAME');
        const role = check(RoleSchema, i >= 0 ? rest[i + 1] : undefined, '--role');
        const u = await users.add(name, readPassword(name), role);
        console.log(`created ${u.name} (${u.role})`);
        return;
      }
      case 'passwd': {
        const u = existing(rest[0] ?? '');
        await users.setPassword(u.id, readPassword(u.name));
        const ended = sessions.revokeAllForUser(u.id).length;
        console.log(`password of ${u.name} changed; ${ended} session(s) ended`);
        return;
      }
      case 'role': {
        const u = existing(rest[0] ?? '');
        const role = check(RoleSchema, rest[1], 'ROLE');
        if (u.role === 'admin' && role !== 'admin' && users.admins() === 1)
          throw new CliError(`${u.name} is the last admin`);
        users.setRole(u.id, role);
        console.log(`${u.name} is now ${role}`);
        return;
      }
      case 'delete': {
        const u = existing(rest[0] ?? '');
        if (u.role === 'admin' && users.admins() === 1) throw new CliError(`${u.name} is the last admin`);
        users.remove(u.id);
        console.log(`deleted ${u.name}`);
        return;
      }
      case 'list':
        for (const u of users.list()) console.log(`${u.name.padEnd(24)} ${u.role}`);
        return;
      default:
        throw new CliError(`unknown command ${cmd}\n${USAGE}`);
    }
  } finally {
    db.close();
  }
}

main(process.argv.slice(2)).catch((e: unknown) => {
  if (e instanceof CliError || e instanceof ApiError) {
    console.error(`lvs-dashboard user: ${e.message}`);
    process.exit(2);
  }
  throw e;
});

'use client';

import { useCallback, useEffect, useState } from 'react';
import { useSessionUser } from '@/components/auth/session';
import { ROLE_CAN } from '@/components/account/role-text';
import { Button } from '@/components/ui/Button';
import { controlClass } from '@/components/ui/Field';
import { formatDateTime } from '@/components/ui/format';
import { ROLES, type Role } from '@/lib/roles';
import { AddUserForm } from './AddUserForm';
import { DeleteUserDialog, SetPasswordDialog } from './UserDialogs';
import { changeUser, listUsers, type UserView } from './users';
import { TableHead } from '@/components/ui/TableHead';
import { useTimeZone, zoned } from '@/components/ui/useTimeZone';
import { Panel } from '@/components/ui/Panel';
import { AdminListPage } from './AdminListPage';

type Open = { kind: 'password' | 'delete'; user: UserView } | null;

/** Local accounts (admins only): add, change role, set password, delete. */
export function UsersAdmin() {
  const zone = useTimeZone();
  const me = useSessionUser();
  const [users, setUsers] = useState<UserView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [roleErrors, setRoleErrors] = useState<Record<string, string>>({});
  const [pendingRole, setPendingRole] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [open, setOpen] = useState<Open>(null);

  const reload = useCallback(() => {
    void listUsers().then((r) => {
      if (r.ok) setUsers(r.data.users);
      else setError(r.error.message);
    });
  }, []);
  useEffect(reload, [reload]);

  async function setRole(u: UserView, role: Role) {
    setPendingRole(u.name);
    setRoleErrors((p) => ({ ...p, [u.name]: '' }));
    setNotice(null);
    const r = await changeUser(u.name, { role });
    setPendingRole(null);
    if (!r.ok) return setRoleErrors((p) => ({ ...p, [u.name]: r.error.message }));
    // Your own role shapes every page: load this one again with the new one.
    if (u.name === me?.name) return window.location.reload();
    setNotice(`${u.name} is now ${role}.`);
    reload();
  }

  return (
    <div className="space-y-4">
      <AdminListPage
        title="Users"
        description="Local accounts of this dashboard. Each role can do what the ones before it can."
        error={error}
        errorTitle="Could not load the accounts"
        list={{
          title: 'Accounts',
          headingId: 'users-heading',
          count: users ? users.length : null,
          notice,
          noticeTestId: 'users-notice',
        }}
        columnsClass="xl:grid-cols-[minmax(0,1fr)_20rem]"
        side={
          <Panel title="Add an account" headingId="add-heading">
            <div className="px-4 py-3">
              <AddUserForm
                onAdded={(name) => {
                  setNotice(`Added ${name}.`);
                  reload();
                }}
              />
            </div>
          </Panel>
        }
      >
        {users && (
          <table className="w-full table-fixed text-left text-sm" data-testid="users">
            <TableHead
              columns={[
                { label: 'Name' },
                { label: 'Role', width: 'w-64' },
                { label: zoned('Created', zone), width: 'w-44' },
                { label: zoned('Password set', zone), width: 'w-44' },
                { label: '', width: 'w-52' },
              ]}
            />
            <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800/70">
              {users.map((u) => (
                <tr key={u.name} data-user={u.name} data-testid="user-row" className="align-top">
                  <td className="truncate px-3 py-2.5 font-medium">
                    {u.name}
                    {u.name === me?.name && (
                      <span className="ml-2 rounded bg-sky-50 px-1.5 py-0.5 text-xs font-medium text-sky-800 dark:bg-sky-500/10 dark:text-sky-300">
                        you
                      </span>
                    )}
                  </td>
                  <td className="px-3 py-1.5">
                    <label htmlFor={`role-${u.name}`} className="sr-only">
                      Role of {u.name}
                    </label>
                    <select
                      id={`role-${u.name}`}
                      value={u.role}
                      disabled={pendingRole === u.name}
                      onChange={(e) => void setRole(u, e.target.value as Role)}
                      className={`${controlClass(roleErrors[u.name] || null, 'w-32')} h-8!`}
                      title={ROLE_CAN[u.role]}
                    >
                      {ROLES.map((r) => (
                        <option key={r} value={r}>
                          {r}
                        </option>
                      ))}
                    </select>
                    {roleErrors[u.name] && (
                      <p role="alert" className="mt-1 text-xs text-red-600 dark:text-red-400" data-testid="role-error">
                        {roleErrors[u.name]}
                      </p>
                    )}
                  </td>
                  <td className="px-3 py-2.5 whitespace-nowrap tabular-nums">{formatDateTime(u.createdAt)}</td>
                  <td className="px-3 py-2.5 whitespace-nowrap tabular-nums">{formatDateTime(u.passwordChangedAt)}</td>
                  <td className="px-3 py-1.5">
                    <div className="flex justify-end gap-1">
                      <Button size="sm" variant="ghost" onClick={() => setOpen({ kind: 'password', user: u })}>
                        Set password
                      </Button>
                      <Button size="sm" variant="danger-ghost" onClick={() => setOpen({ kind: 'delete', user: u })}>
                        Delete
                      </Button>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </AdminListPage>
      {open?.kind === 'password' && (
        <SetPasswordDialog
          user={open.user}
          onClose={() => setOpen(null)}
          onDone={() => {
            setNotice(`Password of ${open.user.name} set; their sessions ended.`);
            reload();
          }}
        />
      )}
      {open?.kind === 'delete' && (
        <DeleteUserDialog
          user={open.user}
          self={open.user.name === me?.name}
          onClose={() => setOpen(null)}
          onDone={() => {
            setNotice(`Deleted ${open.user.name}.`);
            reload();
          }}
        />
      )}
    </div>
  );
}

import { UsersAdmin } from '@/components/admin/UsersAdmin';
import { currentUser } from '@/components/auth/current-user';
import { Banner } from '@/components/ui/Banner';

export const metadata = { title: 'Users · lvs-dashboard' };

/** Local accounts: admins only (the API refuses everyone else anyway). */
export default async function UsersPage() {
  const user = await currentUser();
  if (user?.role !== 'admin') {
    return (
      <div className="mx-auto mt-10 max-w-xl space-y-3" data-testid="needs-admin">
        <h1 className="text-xl font-semibold tracking-tight">Users</h1>
        <Banner tone="warning" title="Managing accounts needs the admin role">
          You are signed in as {user ? `${user.name} (${user.role})` : 'nobody'}. Ask an admin to add, change or remove
          accounts; your own password and sessions are on{' '}
          <a href="/account" className="font-medium underline">
            your account page
          </a>
          .
        </Banner>
      </div>
    );
  }
  return <UsersAdmin />;
}

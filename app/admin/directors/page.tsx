import { DirectorsAdmin } from '@/components/admin/DirectorsAdmin';
import { currentUser } from '@/components/auth/current-user';
import { Banner } from '@/components/ui/Banner';

export const metadata = { title: 'Directors · lvs-dashboard' };

/** The directors this dashboard connects to: admins only (the API refuses everyone else anyway). */
export default async function DirectorsAdminPage() {
  const user = await currentUser();
  if (user?.role !== 'admin') {
    return (
      <div className="mx-auto mt-10 max-w-xl space-y-3" data-testid="needs-admin">
        <h1 className="text-xl font-semibold tracking-tight">Directors</h1>
        <Banner tone="warning" title="Managing directors needs the admin role">
          You are signed in as {user ? `${user.name} (${user.role})` : 'nobody'}. Every director is on the Overview.
        </Banner>
      </div>
    );
  }
  return <DirectorsAdmin />;
}

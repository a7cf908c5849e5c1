import { AuthCard } from '@/components/auth/AuthCard';
import { SetupForm } from '@/components/auth/SetupForm';

export const metadata = { title: 'First admin · lvs-dashboard' };

export default async function SetupPage({ searchParams }: { searchParams: Promise<{ token?: string }> }) {
  const { token } = await searchParams;
  return (
    <AuthCard
      title="Create the first admin"
      intro="No account exists yet. This one-time link, printed by the dashboard on its console, creates the first administrator; it stops working once used."
    >
      <SetupForm token={token ?? ''} />
    </AuthCard>
  );
}

import { SetupForm } from '@/components/auth/SetupForm';

export const metadata = { title: 'First admin · lvs-dashboard' };

export default async function SetupPage({ searchParams }: { searchParams: Promise<{ token?: string }> }) {
  const { token } = await searchParams;
  return (
    <div className="mx-auto mt-24 max-w-sm rounded-lg border border-zinc-200 bg-white p-6 shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
      <h1 className="mb-1 text-lg font-semibold">Create the first admin</h1>
      <p className="mb-5 text-sm text-zinc-500 dark:text-zinc-400">
        No account exists yet. This one-time link, printed by the dashboard on its console, creates the first
        administrator; it stops working once used.
      </p>
      <SetupForm token={token ?? ''} />
    </div>
  );
}

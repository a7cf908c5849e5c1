import { LoginForm } from '@/components/auth/LoginForm';
import { NoAccountNotice } from '@/components/auth/NoAccountNotice';

export const metadata = { title: 'Sign in · lvs-dashboard' };

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  const { next } = await searchParams;
  return (
    <div className="mx-auto mt-24 max-w-sm rounded-lg border border-zinc-200 bg-white p-6 shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
      <h1 className="mb-1 text-lg font-semibold">Sign in</h1>
      <p className="mb-5 text-sm text-zinc-500 dark:text-zinc-400">
        lvs-dashboard: live management of your IPVS directors.
      </p>
      <NoAccountNotice />
      <LoginForm next={next ?? null} />
    </div>
  );
}

import { AuthCard } from '@/components/auth/AuthCard';
import { LoginForm } from '@/components/auth/LoginForm';
import { NoAccountNotice } from '@/components/auth/NoAccountNotice';

export const metadata = { title: 'Sign in · lvs-dashboard' };

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  const { next } = await searchParams;
  return (
    <AuthCard title="Sign in" intro="lvs-dashboard: live management of your IPVS directors.">
      <NoAccountNotice />
      <LoginForm next={next ?? null} />
    </AuthCard>
  );
}

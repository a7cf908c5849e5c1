import { connection } from 'next/server';
import { Overview } from '@/components/overview/Overview';
import { readDirectors } from '@/server/dashboard/snapshot';

export default async function OverviewPage() {
  // Live state: render on every request, never at build time.
  await connection();
  return <Overview initial={readDirectors()} />;
}

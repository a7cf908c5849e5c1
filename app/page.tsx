import { connection } from 'next/server';
import { DirectorList } from '@/components/overview/DirectorList';
import { readDirectors } from '@/server/dashboard/snapshot';

export default async function OverviewPage() {
  // Live state: render on every request, never at build time.
  await connection();
  const directors = readDirectors();

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-xl font-semibold tracking-tight">Overview</h1>
        <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
          The Linux IPVS directors this dashboard watches, through the agent on each one.
        </p>
      </div>
      <DirectorList initial={directors} />
    </div>
  );
}

import { connection } from 'next/server';
import { SnapshotsView } from '@/components/snapshots/SnapshotsView';
import { readDirectors } from '@/server/dashboard/snapshot';

export const metadata = { title: 'Snapshots · lvs-dashboard' };

interface Props {
  searchParams: Promise<{ director?: string | string[] }>;
}

/** A director's rule snapshots, exports and imports (?director= picks it; the first director otherwise). */
export default async function SnapshotsPage({ searchParams }: Props) {
  await connection();
  const { director } = await searchParams;
  return (
    <SnapshotsView
      initialDirectors={readDirectors()}
      requested={typeof director === 'string' && director ? director : null}
    />
  );
}

import type { Metadata } from 'next';
import { connection } from 'next/server';
import { DirectorView } from '@/components/director/DirectorView';
import { decodeSegment } from '@/components/ipvs/describe';
import { readDirectors } from '@/server/dashboard/snapshot';

interface Props {
  params: Promise<{ director: string }>;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `${decodeSegment((await params).director)} · lvs-dashboard` };
}

/** One director: its agent, services, timeouts, sync daemons, counters, connection table size and diagnostics. */
export default async function DirectorRoute({ params }: Props) {
  await connection(); // live state: render on every request
  return <DirectorView director={decodeSegment((await params).director)} initial={readDirectors()} />;
}

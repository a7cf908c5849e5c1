import type { Metadata } from 'next';
import { connection } from 'next/server';
import { DirectorPage } from '@/components/director/DirectorPage';
import { decodeSegment } from '@/components/ipvs/describe';
import { readDirectors } from '@/server/dashboard/snapshot';

interface Props {
  params: Promise<{ director: string }>;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `${decodeSegment((await params).director)} · lvs-dashboard` };
}

/** One director: its agent, state and services. */
export default async function DirectorRoute({ params }: Props) {
  await connection(); // live state: render on every request
  const name = decodeSegment((await params).director);
  return <DirectorPage name={name} initial={readDirectors()} />;
}

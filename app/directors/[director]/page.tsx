import type { Metadata } from 'next';
import { DirectorView } from '@/components/director/DirectorView';
import { decodeSegment } from '@/components/ipvs/describe';

interface Props {
  params: Promise<{ director: string }>;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `${decodeSegment((await params).director)} · lvs-dashboard` };
}

/** One director: its timeouts, sync daemons, counters and connection table size, and its diagnostics. */
export default async function DirectorPage({ params }: Props) {
  return <DirectorView director={decodeSegment((await params).director)} />;
}

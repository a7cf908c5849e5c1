import type { Metadata } from 'next';
import { ConnectionsView } from '@/components/connections/ConnectionsView';
import { decodeSegment } from '@/components/ipvs/describe';

interface Props {
  params: Promise<{ director: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Connections · ${decodeSegment((await params).director)} · lvs-dashboard` };
}

const one = (v: string | string[] | undefined) => (typeof v === 'string' ? v : undefined);

/** A director's connection table (/proc/net/ip_vs_conn), read by its agent only while this page is open. */
export default async function ConnectionsPage({ params, searchParams }: Props) {
  const director = decodeSegment((await params).director);
  const q = await searchParams;
  const initial = Object.fromEntries(
    (['client', 'virtual', 'dest', 'state', 'protocol'] as const).flatMap((k) => (one(q[k]) ? [[k, one(q[k])]] : [])),
  );
  return <ConnectionsView key={JSON.stringify([director, initial])} director={director} initial={initial} />;
}

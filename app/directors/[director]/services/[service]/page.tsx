import type { Metadata } from 'next';
import { decodeSegment } from '@/components/ipvs/describe';
import { ServiceView } from '@/components/service/ServiceView';

interface Props {
  params: Promise<{ director: string; service: string }>;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const p = await params;
  return { title: `${decodeSegment(p.service)} · ${decodeSegment(p.director)} · lvs-dashboard` };
}

/** One virtual service: real servers, weights, drain, live counters and charts. The id is URL-encoded (tcp%2F10.1.0.10%3A80). */
export default async function ServicePage({ params }: Props) {
  const p = await params;
  return <ServiceView director={decodeSegment(p.director)} sid={decodeSegment(p.service)} />;
}

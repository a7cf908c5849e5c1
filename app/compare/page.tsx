import { connection } from 'next/server';
import { CompareView } from '@/components/compare/CompareView';
import { readDirectors } from '@/server/dashboard/snapshot';

export const metadata = { title: 'Compare · lvs-dashboard' };

interface Props {
  searchParams: Promise<{ from?: string | string[]; to?: string | string[] }>;
}

const one = (v: string | string[] | undefined) => (typeof v === 'string' && v ? v : null);

/** Compare any two tables (?from= and ?to=: director:NAME or snapshot:ID). */
export default async function ComparePage({ searchParams }: Props) {
  await connection();
  const { from, to } = await searchParams;
  return <CompareView initialDirectors={readDirectors()} from={one(from)} to={one(to)} />;
}

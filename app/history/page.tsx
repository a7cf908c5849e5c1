import { connection } from 'next/server';
import { filterFromSearch } from '@/components/history/audit';
import { HistoryView } from '@/components/history/HistoryView';
import { readDirectors } from '@/server/dashboard/snapshot';

export const metadata = { title: 'History · lvs-dashboard' };

interface Props {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

/** The audit history of every director: filters live in the URL (?director=&service=&user=&status=&from=&to=). */
export default async function HistoryPage({ searchParams }: Props) {
  await connection();
  const q = await searchParams;
  const one = Object.fromEntries(Object.entries(q).map(([k, v]) => [k, typeof v === 'string' ? v : undefined]));
  return <HistoryView initialFilter={filterFromSearch(one)} directors={readDirectors()} />;
}

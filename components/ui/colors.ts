// Series colours shared by charts, sparklines and legends. Mid-tone (500) colours read on white and on zinc-900 alike.
export const SERIES = {
  cps: { color: '#10b981', text: 'text-emerald-500', label: 'New conns/s' },
  in: { color: '#0ea5e9', text: 'text-sky-500', label: 'In' },
  out: { color: '#a855f7', text: 'text-purple-500', label: 'Out' },
  active: { color: '#f59e0b', text: 'text-amber-500', label: 'Active' },
} as const;

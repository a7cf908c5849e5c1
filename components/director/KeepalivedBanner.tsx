'use client';

import type { TableState } from '@/lib/ipvs';
import { keepalivedDirectorNotice, keepalivedEditWarning } from './keepalived-owner';

const BOX =
  'rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-500/40 dark:bg-amber-500/10 dark:text-amber-200';

/** While keepalived runs on the director: the services it owns (director page) or whether it owns this one (`sid`). */
export function KeepalivedBanner({ state, sid }: { state: TableState | null; sid?: string }) {
  const text = sid === undefined ? keepalivedDirectorNotice(state) : keepalivedEditWarning(state, sid);
  if (!text) return null;
  return (
    <p className={BOX} data-testid="keepalived-owner" role="note">
      {text}
    </p>
  );
}

// The two stores a Hub writes to (createHub's `audit` and `stats`), on a database of the test's.
import { AuditLog } from '../hub/store/audit';
import type { Db } from '../hub/store/db';
import { StatsHistory } from '../hub/store/stats-history';

export function recorders(db: Db): { audit: AuditLog; stats: StatsHistory } {
  return { audit: new AuditLog(db), stats: new StatsHistory(db) };
}

// The leases of one BudgetCounter (budget-counter.ts): a SQLite table and, in memory, the active
// leases (few: about one per isolate that spends on this counter). Synchronous, like budget-store.ts:
// the counter composes these calls into one read-check-write with no await in between.
//
// What a lease counts as in its window's `used`, by status:
//   active    nothing in used; its whole grant is in `leased` (taken from what is left)
//   returned  what the holder reported it spent (estimates corrected by actuals)
//   lapsed    the grant in full, or the report if that came late and is higher: a holder that
//             never returned (its isolate died) may have spent all of it, so it counts as spent
//
// `reported` is the sum of everything the holder said about the lease: its one report at the
// return plus the corrections of settles that came after it had handed the lease back. Those
// calls travel separately and may arrive in any order (a correction before the return it follows),
// so each adds to the sum; an active lease's sum holds the early corrections (it may be negative).
import type { Window } from '../policy/types';
import { DIMENSIONS, ZERO_UNITS, type Units } from './amounts';
import type { WindowBounds } from './windows';

export type LeaseStatus = 'active' | 'returned' | 'lapsed';

export interface LeaseRow {
  id: string;
  window: WindowBounds;
  granted: Units;
  /** What the holder reported spending (zero until it returns). */
  reported: Units;
  status: LeaseStatus;
  lapseAt: number;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS leases (
  id TEXT PRIMARY KEY,
  window_kind TEXT NOT NULL,
  window_start INTEGER NOT NULL,
  window_end INTEGER NOT NULL,
  granted_cost INTEGER NOT NULL,
  granted_tokens INTEGER NOT NULL,
  granted_requests INTEGER NOT NULL,
  reported_cost INTEGER NOT NULL DEFAULT 0,
  reported_tokens INTEGER NOT NULL DEFAULT 0,
  reported_requests INTEGER NOT NULL DEFAULT 0,
  status TEXT NOT NULL,
  lapse_at INTEGER NOT NULL,
  finished_at INTEGER
);
CREATE INDEX IF NOT EXISTS leases_finished ON leases (finished_at);
`;

type Row = Record<string, SqlStorageValue>;

export class LeaseStore {
  private readonly active = new Map<string, LeaseRow>();

  constructor(private readonly sql: SqlStorage) {}

  /** Creates the table and loads the active leases into memory. */
  migrate(): void {
    this.sql.exec(SCHEMA);
    for (const row of this.sql.exec("SELECT * FROM leases WHERE status = 'active'").toArray()) {
      const lease = toLease(row);
      this.active.set(lease.id, lease);
    }
  }

  /** Sum of the grants of the window's active leases. */
  leasedIn(window: WindowBounds): Units {
    const sum = { ...ZERO_UNITS };
    for (const l of this.active.values()) {
      if (l.window.kind !== window.kind || l.window.start !== window.start) continue;
      for (const dim of DIMENSIONS) sum[dim] += l.granted[dim];
    }
    return sum;
  }

  activeDueBy(nowMs: number): LeaseRow[] {
    return [...this.active.values()].filter((l) => l.lapseAt <= nowMs);
  }

  lease(id: string): LeaseRow | undefined {
    const cached = this.active.get(id);
    if (cached) return cached;
    const row = this.sql.exec('SELECT * FROM leases WHERE id = ?', id).toArray()[0];
    return row ? toLease(row) : undefined;
  }

  put(id: string, window: WindowBounds, granted: Units, lapseAt: number): void {
    this.sql.exec(
      `INSERT INTO leases (id, window_kind, window_start, window_end, granted_cost, granted_tokens, granted_requests, status, lapse_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, 'active', ?)`,
      id, window.kind, window.start, window.end, granted.costUsd, granted.tokens, granted.requests, lapseAt,
    );
    this.active.set(id, { id, window, granted, reported: { ...ZERO_UNITS }, status: 'active', lapseAt });
  }

  /** An active lease's early corrections (see the top): its status and its count stay as they are. */
  correct(id: string, reported: Units): void {
    this.sql.exec(
      'UPDATE leases SET reported_cost = ?, reported_tokens = ?, reported_requests = ? WHERE id = ?',
      reported.costUsd, reported.tokens, reported.requests, id,
    );
    const lease = this.active.get(id);
    if (lease) lease.reported = { ...reported };
  }

  /** Records a lease's new status and report (a return, a lapse, or a late correction). */
  finish(id: string, status: Exclude<LeaseStatus, 'active'>, reported: Units, nowMs: number): void {
    this.sql.exec(
      `UPDATE leases SET status = ?, reported_cost = ?, reported_tokens = ?, reported_requests = ?, finished_at = ? WHERE id = ?`,
      status, reported.costUsd, reported.tokens, reported.requests, nowMs, id,
    );
    this.active.delete(id);
  }

  /** The earliest lapse of an active lease. */
  nextLapse(): number | null {
    let due: number | null = null;
    for (const l of this.active.values()) if (due === null || l.lapseAt < due) due = l.lapseAt;
    return due;
  }

  /** When the oldest finished lease is due to be forgotten (purge), or null. */
  nextPurge(keepMs: number): number | null {
    const row = this.sql.exec('SELECT MIN(finished_at) AS t FROM leases WHERE finished_at IS NOT NULL').one();
    return row.t === null ? null : num(row.t) + keepMs;
  }

  /** Forgets finished leases kept past `before` (late corrections to them are no longer applied). */
  purge(before: number): void {
    this.sql.exec('DELETE FROM leases WHERE finished_at IS NOT NULL AND finished_at <= ?', before);
  }
}

/** What a lease adds to its window's used amounts (see the table at the top). */
export function countedOf(lease: Pick<LeaseRow, 'status' | 'granted' | 'reported'>): Units {
  if (lease.status === 'active') return { ...ZERO_UNITS };
  if (lease.status === 'returned') {
    return { costUsd: Math.max(0, lease.reported.costUsd), tokens: Math.max(0, lease.reported.tokens), requests: Math.max(0, lease.reported.requests) };
  }
  return {
    costUsd: Math.max(lease.granted.costUsd, lease.reported.costUsd),
    tokens: Math.max(lease.granted.tokens, lease.reported.tokens),
    requests: Math.max(lease.granted.requests, lease.reported.requests),
  };
}

function toLease(row: Row): LeaseRow {
  return {
    id: String(row.id),
    window: { kind: row.window_kind as Window, start: num(row.window_start), end: num(row.window_end) },
    granted: { costUsd: num(row.granted_cost), tokens: num(row.granted_tokens), requests: num(row.granted_requests) },
    reported: { costUsd: num(row.reported_cost), tokens: num(row.reported_tokens), requests: num(row.reported_requests) },
    status: row.status as LeaseStatus,
    lapseAt: num(row.lapse_at),
  };
}

function num(v: SqlStorageValue): number {
  return typeof v === 'number' ? v : Number(v);
}

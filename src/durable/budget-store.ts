// SQLite tables of one BudgetCounter and the statements on them. Every method is synchronous:
// callers compose them into one read-modify-write with no await in between.
//
// Memory holds the read copy: each window's totals and the held reservations, loaded from SQLite
// the first time they are asked for (after a restart or eviction, the object starts empty and
// reloads). Every write goes to SQLite first and to memory after it, in the same synchronous step,
// so a failing statement leaves memory as SQLite has it, and SQLite stays the durable copy.
import type { Window } from '../policy/types';
import { ZERO_UNITS, type Units } from './amounts';
import type { WindowBounds } from './windows';

export type ReservationStatus = 'held' | 'settled' | 'released' | 'expired';

export interface ReservationRow {
  id: string;
  window: WindowBounds;
  units: Units;
  status: ReservationStatus;
  keyId: string | null;
  expiresAt: number;
}

export interface WindowTotals {
  used: Units;
  held: Units;
}

/** Finished reservations are kept this long so a retried reserve or settle stays idempotent. */
export const TOMBSTONE_MS = 24 * 60 * 60_000;
/** Usage rows of past windows are kept this long (they answer nothing once their window is over). */
const PAST_WINDOW_KEEP_MS = 40 * 24 * 60 * 60_000;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS usage (
  window_kind TEXT NOT NULL,
  window_start INTEGER NOT NULL,
  window_end INTEGER NOT NULL,
  used_cost INTEGER NOT NULL DEFAULT 0,
  used_tokens INTEGER NOT NULL DEFAULT 0,
  used_requests INTEGER NOT NULL DEFAULT 0,
  held_cost INTEGER NOT NULL DEFAULT 0,
  held_tokens INTEGER NOT NULL DEFAULT 0,
  held_requests INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (window_kind, window_start)
);
CREATE TABLE IF NOT EXISTS reservations (
  id TEXT PRIMARY KEY,
  window_kind TEXT NOT NULL,
  window_start INTEGER NOT NULL,
  window_end INTEGER NOT NULL,
  cost INTEGER NOT NULL,
  tokens INTEGER NOT NULL,
  requests INTEGER NOT NULL,
  status TEXT NOT NULL,
  key_id TEXT,
  expires_at INTEGER NOT NULL,
  finished_at INTEGER
);
CREATE INDEX IF NOT EXISTS reservations_held_expiry ON reservations (status, expires_at);
CREATE INDEX IF NOT EXISTS reservations_finished ON reservations (finished_at);
`;

type Row = Record<string, SqlStorageValue>;

export class BudgetStore {
  /** Totals by window (`kind:start`), as SQLite has them. */
  private readonly windows = new Map<string, WindowTotals>();
  /** Held reservations by id; finished ones are read from SQLite (retries of old ids are rare). */
  private readonly held = new Map<string, ReservationRow>();

  constructor(private readonly sql: SqlStorage) {}

  migrate(): void {
    this.sql.exec(SCHEMA);
  }

  /** A copy: callers may keep it across their own writes. */
  totals(window: WindowBounds): WindowTotals {
    const t = this.windowTotals(window);
    return { used: { ...t.used }, held: { ...t.held } };
  }

  private windowTotals(window: WindowBounds): WindowTotals {
    const key = windowKey(window);
    let t = this.windows.get(key);
    if (t) return t;
    const row = this.sql
      .exec('SELECT * FROM usage WHERE window_kind = ? AND window_start = ?', window.kind, window.start)
      .toArray()[0];
    t = row
      ? {
          used: { costUsd: num(row.used_cost), tokens: num(row.used_tokens), requests: num(row.used_requests) },
          held: { costUsd: num(row.held_cost), tokens: num(row.held_tokens), requests: num(row.held_requests) },
        }
      : { used: { ...ZERO_UNITS }, held: { ...ZERO_UNITS } };
    this.windows.set(key, t);
    return t;
  }

  /** Adds (or with negative deltas, removes) used and held amounts of one window. */
  addToWindow(window: WindowBounds, used: Units, held: Units): void {
    const t = this.windowTotals(window);
    this.sql.exec(
      `INSERT INTO usage (window_kind, window_start, window_end,
         used_cost, used_tokens, used_requests, held_cost, held_tokens, held_requests)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (window_kind, window_start) DO UPDATE SET
         used_cost = used_cost + excluded.used_cost,
         used_tokens = used_tokens + excluded.used_tokens,
         used_requests = used_requests + excluded.used_requests,
         held_cost = held_cost + excluded.held_cost,
         held_tokens = held_tokens + excluded.held_tokens,
         held_requests = held_requests + excluded.held_requests`,
      window.kind, window.start, window.end,
      used.costUsd, used.tokens, used.requests,
      held.costUsd, held.tokens, held.requests,
    );
    t.used = { costUsd: t.used.costUsd + used.costUsd, tokens: t.used.tokens + used.tokens, requests: t.used.requests + used.requests };
    t.held = { costUsd: t.held.costUsd + held.costUsd, tokens: t.held.tokens + held.tokens, requests: t.held.requests + held.requests };
  }

  reservation(id: string): ReservationRow | undefined {
    const cached = this.held.get(id);
    if (cached) return cached;
    const row = this.sql.exec('SELECT * FROM reservations WHERE id = ?', id).toArray()[0];
    if (!row) return undefined;
    const r = toReservation(row);
    if (r.status === 'held') this.held.set(id, r);
    return r;
  }

  /** Inserts a held reservation, replacing a released or expired one with the same id. */
  putHeld(id: string, window: WindowBounds, units: Units, keyId: string | null, expiresAt: number): void {
    this.sql.exec(
      `INSERT OR REPLACE INTO reservations
         (id, window_kind, window_start, window_end, cost, tokens, requests, status, key_id, expires_at, finished_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, 'held', ?, ?, NULL)`,
      id, window.kind, window.start, window.end, units.costUsd, units.tokens, units.requests, keyId, expiresAt,
    );
    this.held.set(id, { id, window, units, status: 'held', keyId, expiresAt });
  }

  finish(id: string, status: Exclude<ReservationStatus, 'held'>, nowMs: number, units?: Units): void {
    if (units) {
      this.sql.exec(
        'UPDATE reservations SET status = ?, finished_at = ?, cost = ?, tokens = ?, requests = ? WHERE id = ?',
        status, nowMs, units.costUsd, units.tokens, units.requests, id,
      );
    } else {
      this.sql.exec('UPDATE reservations SET status = ?, finished_at = ? WHERE id = ?', status, nowMs, id);
    }
    this.held.delete(id);
  }

  heldDueBy(nowMs: number): ReservationRow[] {
    return this.sql
      .exec("SELECT * FROM reservations WHERE status = 'held' AND expires_at <= ?", nowMs)
      .toArray()
      .map(toReservation);
  }

  purge(nowMs: number): void {
    this.sql.exec("DELETE FROM reservations WHERE finished_at IS NOT NULL AND finished_at <= ?", nowMs - TOMBSTONE_MS);
    this.sql.exec(
      'DELETE FROM usage WHERE window_end <= ? AND held_cost = 0 AND held_tokens = 0 AND held_requests = 0',
      nowMs - PAST_WINDOW_KEEP_MS,
    );
    // Deleted rows must not live on in memory; the live ones reload on their next read.
    this.windows.clear();
  }

  /** When the alarm next has work: the earliest expiry of a hold, or of a tombstone. */
  nextDue(): number | null {
    const row = this.sql
      .exec(
        `SELECT MIN(t) AS due FROM (
           SELECT MIN(expires_at) AS t FROM reservations WHERE status = 'held'
           UNION ALL
           SELECT MIN(finished_at) + ? AS t FROM reservations WHERE finished_at IS NOT NULL)`,
        TOMBSTONE_MS,
      )
      .one();
    return row.due === null ? null : num(row.due);
  }
}

function windowKey(w: WindowBounds): string {
  return `${w.kind}:${w.start}`;
}

function toReservation(row: Row): ReservationRow {
  return {
    id: String(row.id),
    window: { kind: row.window_kind as Window, start: num(row.window_start), end: num(row.window_end) },
    units: { costUsd: num(row.cost), tokens: num(row.tokens), requests: num(row.requests) },
    status: row.status as ReservationStatus,
    keyId: row.key_id === null ? null : String(row.key_id),
    expiresAt: num(row.expires_at),
  };
}

function num(v: SqlStorageValue): number {
  return typeof v === 'number' ? v : Number(v);
}

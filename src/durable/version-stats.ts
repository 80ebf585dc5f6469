import { DurableObject } from 'cloudflare:workers';
import { fromUnit, toUnit } from './amounts';
import { mergeMinutes, summarize } from './version-stats-sum';
import { readShadow, writeShadow, SHADOW_SCHEMA, sweepShadow } from './version-stats-shadow';
import type { MinuteStats, ShadowDelta, ShadowStats, StatsDelta, VersionWindow } from './version-stats-types';

const MINUTE_MS = 60_000;
/** Rollout gates look back minutes to hours; a week of history is plenty. */
const KEEP_MS = 7 * 24 * 60 * MINUTE_MS;
const SWEEP_INTERVAL_MS = 24 * 60 * MINUTE_MS;
const OUTCOME = /^[a-z][a-z0-9_]{0,31}$/;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS minute_stats (
  version TEXT NOT NULL,
  minute INTEGER NOT NULL,
  outcome TEXT NOT NULL,
  count INTEGER NOT NULL,
  errors INTEGER NOT NULL,
  est_cost INTEGER NOT NULL,
  PRIMARY KEY (version, minute, outcome)
);
`;

/**
 * Counters for one shard of one bundle version (see version-stats-client.ts): decisions by
 * outcome, errors and estimated cost, per minute. Each add is one upsert, atomic on its own.
 */
export class VersionStats extends DurableObject<unknown> {
  private sweepScheduled = false;

  constructor(ctx: DurableObjectState, env: unknown) {
    super(ctx, env);
    void ctx.blockConcurrencyWhile(async () => {
      ctx.storage.sql.exec(SCHEMA);
      ctx.storage.sql.exec(SHADOW_SCHEMA);
    });
  }

  async add(version: string, minute: number, delta: StatsDelta): Promise<void> {
    checkVersion(version);
    if (!Number.isSafeInteger(minute) || minute < 0) throw new RangeError('minute must be epoch milliseconds');
    if (!delta || typeof delta.outcome !== 'string' || !OUTCOME.test(delta.outcome)) throw new RangeError('delta.outcome must be a short lower-case word');
    const count = wholeOrDefault('delta.count', delta.count, 1);
    const errors = wholeOrDefault('delta.errors', delta.errors, 0);
    const cost = delta.estimatedCostUsd ?? 0;
    if (!Number.isFinite(cost) || cost < 0) throw new RangeError('delta.estimatedCostUsd must be >= 0');
    this.ctx.storage.sql.exec(
      `INSERT INTO minute_stats (version, minute, outcome, count, errors, est_cost) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (version, minute, outcome) DO UPDATE SET
         count = count + excluded.count, errors = errors + excluded.errors, est_cost = est_cost + excluded.est_cost`,
      version, minute - (minute % MINUTE_MS), delta.outcome, count, errors, toUnit('costUsd', cost),
    );
    await this.ensureSweep();
  }

  async window(version: string, sinceMs: number): Promise<VersionWindow> {
    checkVersion(version);
    if (!Number.isFinite(sinceMs)) throw new RangeError('sinceMs must be epoch milliseconds');
    const rows = this.ctx.storage.sql
      .exec<{ minute: number; outcome: string; count: number; errors: number; est_cost: number }>(
        'SELECT minute, outcome, count, errors, est_cost FROM minute_stats WHERE version = ? AND minute >= ? ORDER BY minute',
        version, sinceMs - (sinceMs % MINUTE_MS),
      )
      .toArray();
    // One entry per (minute, outcome) row; mergeMinutes folds the outcomes of a minute together.
    const perRow: MinuteStats[] = rows.map((row) => ({
      minute: row.minute,
      count: row.count,
      errors: row.errors,
      estimatedCostUsd: fromUnit('costUsd', row.est_cost),
      byOutcome: { [row.outcome]: row.count },
    }));
    return summarize(version, sinceMs, mergeMinutes([perRow]));
  }

  /** Adds one flush's shadow-rule hits of `version` (version-stats-shadow.ts keeps the subjects bounded). */
  async addShadow(version: string, delta: ShadowDelta): Promise<void> {
    checkVersion(version);
    writeShadow(this.ctx.storage.sql, version, delta);
    await this.ensureSweep();
  }

  async shadow(version: string): Promise<ShadowStats> {
    checkVersion(version);
    return readShadow(this.ctx.storage.sql, version);
  }

  override async alarm(): Promise<void> {
    this.ctx.storage.sql.exec('DELETE FROM minute_stats WHERE minute < ?', Date.now() - KEEP_MS);
    this.sweepScheduled = false;
    const left = Number(this.ctx.storage.sql.exec('SELECT COUNT(*) AS n FROM minute_stats').one().n) + sweepShadow(this.ctx.storage.sql, Date.now() - KEEP_MS);
    if (left > 0) await this.ensureSweep();
  }

  private async ensureSweep(): Promise<void> {
    if (this.sweepScheduled) return;
    this.sweepScheduled = true;
    if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(Date.now() + SWEEP_INTERVAL_MS);
  }
}

function checkVersion(version: unknown): void {
  if (typeof version !== 'string' || version === '' || version.length > 128) throw new TypeError('version must be a non-empty string');
}

function wholeOrDefault(what: string, v: number | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`${what} must be a whole number >= 0`);
  return v;
}

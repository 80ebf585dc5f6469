import { DurableObject } from 'cloudflare:workers';
import { DecisionStore } from './decision-store';
import type { DecisionRecord, ShardQuery } from './decision-types';
import type { DecisionsEnv } from './env';

const DAY_MS = 24 * 60 * 60_000;
const DEFAULT_RETENTION_DAYS = 30;
/** How often a shard with records looks for expired ones. */
const SWEEP_INTERVAL_MS = 60 * 60_000;
const MAX_PAGE = 1001;

/**
 * One shard of the decision log (see decision-shards.ts for the sharding). Records arrive already
 * made private by the client (prompts hashed, masked fields replaced); this object stores them,
 * answers one page of a query, and deletes records past retention (DECISION_RETENTION_DAYS,
 * default 30) from an alarm.
 */
export class DecisionLog extends DurableObject<DecisionsEnv> {
  private readonly store: DecisionStore;
  private sweepScheduled = false;

  constructor(ctx: DurableObjectState, env: DecisionsEnv) {
    super(ctx, env);
    this.store = new DecisionStore(ctx.storage.sql);
    void ctx.blockConcurrencyWhile(async () => this.store.migrate());
  }

  async append(records: DecisionRecord[]): Promise<{ stored: number }> {
    if (!Array.isArray(records)) throw new TypeError('records must be an array');
    const checked = records.map((r) => [r, checkedTime(r)] as const);
    this.store.insertAll(checked);
    await this.ensureSweep();
    return { stored: checked.length };
  }

  async query(q: ShardQuery): Promise<DecisionRecord[]> {
    if (!Number.isInteger(q.limit) || q.limit < 1 || q.limit > MAX_PAGE) throw new RangeError(`limit must be 1..${MAX_PAGE}`);
    return this.store.page(q);
  }

  override async alarm(): Promise<void> {
    const left = this.store.deleteBefore(Date.now() - retentionMs(this.env));
    this.sweepScheduled = false;
    if (left > 0) await this.ensureSweep();
  }

  private async ensureSweep(): Promise<void> {
    if (this.sweepScheduled) return;
    this.sweepScheduled = true;
    if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(Date.now() + SWEEP_INTERVAL_MS);
  }
}

export function retentionMs(env: Pick<DecisionsEnv, 'DECISION_RETENTION_DAYS'>): number {
  const days = Number(env.DECISION_RETENTION_DAYS);
  return (env.DECISION_RETENTION_DAYS && Number.isFinite(days) && days > 0 ? days : DEFAULT_RETENTION_DAYS) * DAY_MS;
}

function checkedTime(r: DecisionRecord): number {
  if (!r || typeof r.id !== 'string' || r.id === '' || typeof r.requestId !== 'string' || typeof r.decision !== 'string') {
    throw new TypeError('a decision record needs id, requestId and decision');
  }
  const timeMs = Date.parse(r.time);
  if (!Number.isFinite(timeMs)) throw new RangeError(`record ${r.id}: time is not a valid date`);
  return timeMs;
}

// SQLite tables of one DecisionLog shard. The full record is kept as JSON; the columns beside it
// exist only to filter and order without parsing every row.
import type { DecisionRecord, ShardQuery } from './decision-types';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS decisions (
  request_id TEXT PRIMARY KEY,
  time_ms INTEGER NOT NULL,
  decision TEXT NOT NULL,
  user_id TEXT,
  team_id TEXT,
  bundle_version TEXT,
  record TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS decisions_by_time ON decisions (time_ms DESC, request_id);
CREATE TABLE IF NOT EXISTS decision_rules (
  rule TEXT NOT NULL,
  request_id TEXT NOT NULL,
  PRIMARY KEY (rule, request_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS decision_rules_by_request ON decision_rules (request_id);
`;

export class DecisionStore {
  constructor(private readonly sql: SqlStorage) {}

  migrate(): void {
    this.sql.exec(SCHEMA);
  }

  /** One record per request id: a later append for the same request replaces the earlier one. */
  upsert(record: DecisionRecord, timeMs: number): void {
    this.sql.exec(
      `INSERT OR REPLACE INTO decisions (request_id, time_ms, decision, user_id, team_id, bundle_version, record)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
      record.requestId, timeMs, record.decision,
      record.subject.userId ?? null, record.subject.teamId ?? null, record.bundle?.version ?? null,
      JSON.stringify(record),
    );
    this.sql.exec('DELETE FROM decision_rules WHERE request_id = ?', record.requestId);
    for (const rule of ruleKeys(record)) {
      this.sql.exec('INSERT OR IGNORE INTO decision_rules (rule, request_id) VALUES (?, ?)', rule, record.requestId);
    }
  }

  page(q: ShardQuery): DecisionRecord[] {
    const where: string[] = [];
    const args: SqlStorageValue[] = [];
    const add = (clause: string, ...values: SqlStorageValue[]) => {
      where.push(clause);
      args.push(...values);
    };
    if (q.sinceMs !== undefined) add('time_ms >= ?', q.sinceMs);
    if (q.untilMs !== undefined) add('time_ms < ?', q.untilMs);
    if (q.decision !== undefined) add('decision = ?', q.decision);
    if (q.team !== undefined) add('team_id = ?', q.team);
    if (q.user !== undefined) add('user_id = ?', q.user);
    if (q.bundleVersion !== undefined) add('bundle_version = ?', q.bundleVersion);
    if (q.rule !== undefined) add('request_id IN (SELECT request_id FROM decision_rules WHERE rule = ?)', q.rule);
    // Strictly after the cursor in (time desc, requestId asc) order.
    if (q.after) add('(time_ms < ? OR (time_ms = ? AND request_id > ?))', q.after.timeMs, q.after.timeMs, q.after.requestId);
    const sql =
      `SELECT record FROM decisions${where.length ? ` WHERE ${where.join(' AND ')}` : ''}` +
      ' ORDER BY time_ms DESC, request_id ASC LIMIT ?';
    return this.sql
      .exec<{ record: string }>(sql, ...args, q.limit)
      .toArray()
      .map((row) => JSON.parse(row.record) as DecisionRecord);
  }

  /** Deletes records older than `cutoffMs`; returns how many are left. */
  deleteBefore(cutoffMs: number): number {
    this.sql.exec(
      'DELETE FROM decision_rules WHERE request_id IN (SELECT request_id FROM decisions WHERE time_ms < ?)',
      cutoffMs,
    );
    this.sql.exec('DELETE FROM decisions WHERE time_ms < ?', cutoffMs);
    return Number(this.sql.exec('SELECT COUNT(*) AS n FROM decisions').one().n);
  }
}

/** Both `policyId/ruleId` and the bare rule id, so either form filters. */
function ruleKeys(record: DecisionRecord): Set<string> {
  const keys = new Set<string>();
  const addRule = (full: string) => {
    keys.add(full);
    const slash = full.indexOf('/');
    if (slash >= 0) keys.add(full.slice(slash + 1));
  };
  for (const r of record.decidingRules) addRule(r);
  for (const r of record.matchedRules) addRule(typeof r === 'string' ? r : `${r.policyId}/${r.ruleId}`);
  // A shadow rule's hits are found by `rule=` too: the evidence for enforcing it.
  for (const r of record.shadow ?? []) addRule(`${r.policyId}/${r.ruleId}`);
  return keys;
}

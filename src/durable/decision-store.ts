// SQLite tables of one DecisionLog shard. The full record is kept as JSON; the columns beside it
// exist only to filter and order without parsing every row.
import type { DecisionRecord, ShardQuery } from './decision-types';

// Records are keyed by the id the worker minted (decision-types.ts): append-only, so no request
// can replace another's record, whatever x-request-id it sends. The request id is a plain column.
const SCHEMA = `
CREATE TABLE IF NOT EXISTS decision_records (
  id TEXT PRIMARY KEY,
  request_id TEXT NOT NULL,
  time_ms INTEGER NOT NULL,
  decision TEXT NOT NULL,
  user_id TEXT,
  team_id TEXT,
  bundle_version TEXT,
  record TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS decision_records_by_time ON decision_records (time_ms DESC, id);
CREATE TABLE IF NOT EXISTS decision_record_rules (
  rule TEXT NOT NULL,
  id TEXT NOT NULL,
  PRIMARY KEY (rule, id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS decision_record_rules_by_id ON decision_record_rules (id);
`;

// The first schema keyed records by the caller's request id. Its rows move over once, their
// request id becoming their record id (unique there by construction).
const FROM_V1 = `
INSERT OR IGNORE INTO decision_records (id, request_id, time_ms, decision, user_id, team_id, bundle_version, record)
  SELECT request_id, request_id, time_ms, decision, user_id, team_id, bundle_version, record FROM decisions;
INSERT OR IGNORE INTO decision_record_rules (rule, id) SELECT rule, request_id FROM decision_rules;
DROP TABLE decision_rules;
DROP TABLE decisions;
`;

// A Durable Object's SQLite takes at most 100 bound parameters per statement.
const MAX_PARAMS = 100;
const RECORD_COLUMNS = 8;
const RECORDS_PER_INSERT = Math.floor(MAX_PARAMS / RECORD_COLUMNS);
const RULES_PER_INSERT = Math.floor(MAX_PARAMS / 2);

export class DecisionStore {
  constructor(private readonly sql: SqlStorage) {}

  migrate(): void {
    this.sql.exec(SCHEMA);
    const v1 = this.sql.exec("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'decisions'").toArray();
    if (v1.length > 0) this.sql.exec(FROM_V1);
  }

  /**
   * Stores records, each once: a retried append of the same records (same ids) changes nothing.
   * A few multi-row statements per batch instead of one or more per record.
   */
  insertAll(records: ReadonlyArray<readonly [DecisionRecord, number]>): void {
    for (let i = 0; i < records.length; i += RECORDS_PER_INSERT) {
      const chunk = records.slice(i, i + RECORDS_PER_INSERT);
      const args: SqlStorageValue[] = [];
      for (const [record, timeMs] of chunk) {
        args.push(
          record.id, record.requestId, timeMs, record.decision,
          record.subject.userId ?? null, record.subject.teamId ?? null, record.bundle?.version ?? null,
          JSON.stringify(record),
        );
      }
      this.sql.exec(
        `INSERT OR IGNORE INTO decision_records (id, request_id, time_ms, decision, user_id, team_id, bundle_version, record) VALUES ${rows(chunk.length, RECORD_COLUMNS)}`,
        ...args,
      );
    }
    // A record already stored has these rows already; OR IGNORE keeps them once.
    const rules: SqlStorageValue[] = [];
    for (const [record] of records) for (const rule of ruleKeys(record)) rules.push(rule, record.id);
    for (let i = 0; i < rules.length; i += RULES_PER_INSERT * 2) {
      const chunk = rules.slice(i, i + RULES_PER_INSERT * 2);
      this.sql.exec(`INSERT OR IGNORE INTO decision_record_rules (rule, id) VALUES ${rows(chunk.length / 2, 2)}`, ...chunk);
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
    if (q.rule !== undefined) add('id IN (SELECT id FROM decision_record_rules WHERE rule = ?)', q.rule);
    // Strictly after the cursor in (time desc, id asc) order.
    if (q.after) add('(time_ms < ? OR (time_ms = ? AND id > ?))', q.after.timeMs, q.after.timeMs, q.after.id);
    const sql =
      `SELECT id, record FROM decision_records${where.length ? ` WHERE ${where.join(' AND ')}` : ''}` +
      ' ORDER BY time_ms DESC, id ASC LIMIT ?';
    return this.sql
      .exec<{ id: string; record: string }>(sql, ...args, q.limit)
      .toArray()
      // Rows moved from the first schema have no id inside their JSON.
      .map((row) => ({ ...(JSON.parse(row.record) as DecisionRecord), id: row.id }));
  }

  /** Deletes records older than `cutoffMs`; returns how many are left. */
  deleteBefore(cutoffMs: number): number {
    this.sql.exec(
      'DELETE FROM decision_record_rules WHERE id IN (SELECT id FROM decision_records WHERE time_ms < ?)',
      cutoffMs,
    );
    this.sql.exec('DELETE FROM decision_records WHERE time_ms < ?', cutoffMs);
    return Number(this.sql.exec('SELECT COUNT(*) AS n FROM decision_records').one().n);
  }
}

/** `(?, ?), (?, ?)` for `count` rows of `columns` values. */
function rows(count: number, columns: number): string {
  const row = `(${new Array(columns).fill('?').join(', ')})`;
  return new Array(count).fill(row).join(', ');
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

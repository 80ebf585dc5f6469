// Shadow-rule counters of a VersionStats shard (spec §10): per bundle version, how many decisions
// it made, and per shadow rule how often it would have fired and on whom. The teams and users are
// bounded: at most SHADOW_SUBJECTS of each per rule and shard are named, the hits of any further
// one go to an `other` count, so a rule hitting every user cannot grow the table without bound.
import type { ShadowDelta, ShadowRuleStats, ShadowStats, SubjectCount } from './version-stats-types';

export const SHADOW_SUBJECTS = 20;
const MAX_RULES = 1000;
const MAX_ID = 256;
const DECISIONS = new Set(['allow', 'deny', 'warn', 'modify', 'needs_approval']);

export const SHADOW_SCHEMA = `
CREATE TABLE IF NOT EXISTS shadow_totals (
  version TEXT PRIMARY KEY,
  decisions INTEGER NOT NULL,
  first_ms INTEGER NOT NULL,
  last_ms INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS shadow_rules (
  version TEXT NOT NULL,
  rule TEXT NOT NULL,
  decision TEXT NOT NULL,
  hits INTEGER NOT NULL,
  other_teams INTEGER NOT NULL,
  other_users INTEGER NOT NULL,
  last_ms INTEGER NOT NULL,
  PRIMARY KEY (version, rule)
);
CREATE TABLE IF NOT EXISTS shadow_subjects (
  version TEXT NOT NULL,
  rule TEXT NOT NULL,
  kind TEXT NOT NULL,
  id TEXT NOT NULL,
  hits INTEGER NOT NULL,
  PRIMARY KEY (version, rule, kind, id)
);
`;

type Kind = 'team' | 'user';

export function writeShadow(sql: SqlStorage, version: string, delta: ShadowDelta): void {
  checkDelta(delta);
  sql.exec(
    `INSERT INTO shadow_totals (version, decisions, first_ms, last_ms) VALUES (?, ?, ?, ?)
     ON CONFLICT (version) DO UPDATE SET decisions = decisions + excluded.decisions,
       first_ms = MIN(first_ms, excluded.first_ms), last_ms = MAX(last_ms, excluded.last_ms)`,
    version, delta.decisions, delta.firstMs, delta.lastMs,
  );
  for (const r of delta.rules) {
    const other = { team: addSubjects(sql, version, r.rule, 'team', r.teams), user: addSubjects(sql, version, r.rule, 'user', r.users) };
    sql.exec(
      `INSERT INTO shadow_rules (version, rule, decision, hits, other_teams, other_users, last_ms) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (version, rule) DO UPDATE SET decision = excluded.decision, hits = hits + excluded.hits,
         other_teams = other_teams + excluded.other_teams, other_users = other_users + excluded.other_users, last_ms = MAX(last_ms, excluded.last_ms)`,
      version, r.rule, r.decision, r.hits, other.team, other.user, delta.lastMs,
    );
  }
}

/** Adds the hits of subjects already named or still fitting under the bound; returns the hits of the rest. */
function addSubjects(sql: SqlStorage, version: string, rule: string, kind: Kind, counts: Record<string, number>): number {
  const named = new Set(
    sql.exec<{ id: string }>('SELECT id FROM shadow_subjects WHERE version = ? AND rule = ? AND kind = ?', version, rule, kind).toArray().map((row) => row.id),
  );
  let other = 0;
  for (const [id, hits] of Object.entries(counts)) {
    if (!named.has(id) && named.size >= SHADOW_SUBJECTS) {
      other += hits;
      continue;
    }
    named.add(id);
    sql.exec(
      `INSERT INTO shadow_subjects (version, rule, kind, id, hits) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (version, rule, kind, id) DO UPDATE SET hits = hits + excluded.hits`,
      version, rule, kind, id, hits,
    );
  }
  return other;
}

export function readShadow(sql: SqlStorage, version: string): ShadowStats {
  const totals = sql.exec<{ decisions: number; first_ms: number }>('SELECT decisions, first_ms FROM shadow_totals WHERE version = ?', version).toArray()[0];
  const subjects = sql
    .exec<{ rule: string; kind: Kind; id: string; hits: number }>('SELECT rule, kind, id, hits FROM shadow_subjects WHERE version = ?', version)
    .toArray();
  const rules = sql
    .exec<{ rule: string; decision: string; hits: number; other_teams: number; other_users: number; last_ms: number }>(
      'SELECT rule, decision, hits, other_teams, other_users, last_ms FROM shadow_rules WHERE version = ?',
      version,
    )
    .toArray()
    .map((row): ShadowRuleStats => ({
      rule: row.rule,
      decision: row.decision,
      hits: row.hits,
      rate: 0,
      lastSeen: new Date(row.last_ms).toISOString(),
      teams: subjects.filter((s) => s.rule === row.rule && s.kind === 'team').map((s) => ({ id: s.id, hits: s.hits })),
      users: subjects.filter((s) => s.rule === row.rule && s.kind === 'user').map((s) => ({ id: s.id, hits: s.hits })),
      otherTeamHits: row.other_teams,
      otherUserHits: row.other_users,
    }));
  return mergeShadow(version, [{ version, decisions: totals?.decisions ?? 0, since: totals ? new Date(totals.first_ms).toISOString() : null, rules }]);
}

/** Sums shards of one version: rules by id, subjects by id (the top SHADOW_SUBJECTS named, the rest in other). */
export function mergeShadow(version: string, shards: ShadowStats[]): ShadowStats {
  const rules = new Map<string, ShadowRuleStats & { teamMap: Map<string, number>; userMap: Map<string, number> }>();
  let decisions = 0;
  let since: string | null = null;
  for (const shard of shards) {
    decisions += shard.decisions;
    if (shard.since !== null && (since === null || shard.since < since)) since = shard.since;
    for (const r of shard.rules) {
      let into = rules.get(r.rule);
      if (!into) rules.set(r.rule, (into = { ...r, hits: 0, otherTeamHits: 0, otherUserHits: 0, teams: [], users: [], teamMap: new Map(), userMap: new Map() }));
      into.hits += r.hits;
      into.otherTeamHits += r.otherTeamHits;
      into.otherUserHits += r.otherUserHits;
      if (r.lastSeen > into.lastSeen) into.lastSeen = r.lastSeen;
      for (const t of r.teams) into.teamMap.set(t.id, (into.teamMap.get(t.id) ?? 0) + t.hits);
      for (const u of r.users) into.userMap.set(u.id, (into.userMap.get(u.id) ?? 0) + u.hits);
    }
  }
  const out = [...rules.values()].map(({ teamMap, userMap, ...r }): ShadowRuleStats => {
    const teams = top(teamMap);
    const users = top(userMap);
    return {
      ...r,
      rate: decisions > 0 ? Math.round((r.hits / decisions) * 1e4) / 1e4 : 0,
      teams: teams.named,
      users: users.named,
      otherTeamHits: r.otherTeamHits + teams.rest,
      otherUserHits: r.otherUserHits + users.rest,
    };
  });
  out.sort((a, b) => b.hits - a.hits || (a.rule < b.rule ? -1 : 1));
  return { version, decisions, since, rules: out };
}

function top(counts: Map<string, number>): { named: SubjectCount[]; rest: number } {
  const sorted = [...counts].map(([id, hits]) => ({ id, hits })).sort((a, b) => b.hits - a.hits || (a.id < b.id ? -1 : 1));
  const named = sorted.slice(0, SHADOW_SUBJECTS);
  return { named, rest: sorted.slice(SHADOW_SUBJECTS).reduce((n, s) => n + s.hits, 0) };
}

/** Deletes the counters of versions not seen since `cutoffMs`; returns the rows left. */
export function sweepShadow(sql: SqlStorage, cutoffMs: number): number {
  sql.exec('DELETE FROM shadow_subjects WHERE version IN (SELECT version FROM shadow_totals WHERE last_ms < ?)', cutoffMs);
  sql.exec('DELETE FROM shadow_rules WHERE version IN (SELECT version FROM shadow_totals WHERE last_ms < ?)', cutoffMs);
  sql.exec('DELETE FROM shadow_totals WHERE last_ms < ?', cutoffMs);
  return Number(sql.exec('SELECT COUNT(*) AS n FROM shadow_totals').one().n);
}

function checkDelta(d: ShadowDelta): void {
  if (!d || typeof d !== 'object') throw new TypeError('a shadow delta must be an object');
  for (const key of ['decisions', 'firstMs', 'lastMs'] as const) {
    if (!Number.isSafeInteger(d[key]) || d[key] < 0) throw new RangeError(`shadow delta ${key} must be a whole number >= 0`);
  }
  if (!Array.isArray(d.rules) || d.rules.length > MAX_RULES) throw new RangeError(`shadow delta rules must be a list of at most ${MAX_RULES}`);
  for (const r of d.rules) {
    if (typeof r?.rule !== 'string' || r.rule === '' || r.rule.length > MAX_ID) throw new RangeError('shadow delta rule must be a policyId/ruleId');
    if (!DECISIONS.has(r.decision)) throw new RangeError(`shadow delta decision must be one of ${[...DECISIONS].join(', ')}`);
    if (!Number.isSafeInteger(r.hits) || r.hits < 1) throw new RangeError('shadow delta hits must be a whole number >= 1');
    for (const counts of [r.teams, r.users]) {
      if (!counts || typeof counts !== 'object') throw new TypeError('shadow delta teams and users must be objects');
      for (const [id, n] of Object.entries(counts)) {
        if (id === '' || id.length > MAX_ID || !Number.isSafeInteger(n) || n < 1) throw new RangeError('shadow delta subject counts must be ids with whole numbers >= 1');
      }
    }
  }
}

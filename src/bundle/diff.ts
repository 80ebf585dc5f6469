// What changed between two policy sets or bundles: for the CLI's `diff` and publish reviews.
import type { Bundle, Policy, Rule } from '../policy/types';
import { canonicalJson } from './canonical';

export interface RuleDiff {
  added: string[];
  removed: string[];
  modified: string[];
  unchanged: string[];
  /** For each modified rule, what changed: `condition.value: 1 → 2`, `action.decision: warn → deny`. */
  changes: Record<string, string[]>;
}

export interface PolicyDiff {
  /** Policy ids, sorted. */
  added: string[];
  removed: string[];
  unchanged: string[];
  /**
   * `changes` lists the policy's own fields that changed (everything but its rules), e.g.
   * `metadata.priority: 100 → 200`, plus `rules: order changed` when only the order moved.
   * Rule ids are in file order (removed ones in the old file's order).
   */
  modified: Array<{ id: string; changes: string[]; rules: RuleDiff }>;
}

export interface BundleDiff extends PolicyDiff {
  /** Present only when changed. */
  version?: { from: string; to: string };
  defaultDecision?: { from: Bundle['defaultDecision']; to: Bundle['defaultDecision'] };
}

const MAX_VALUE_CHARS = 80;
const NONE = '(none)';

export function diffPolicies(a: Policy[], b: Policy[]): PolicyDiff {
  const before = byId(a, (p) => p.metadata?.id);
  const after = byId(b, (p) => p.metadata?.id);
  const diff: PolicyDiff = { added: [], removed: [], unchanged: [], modified: [] };
  for (const id of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    const [old, now] = [before.get(id), after.get(id)];
    if (!old) diff.added.push(id);
    else if (!now) diff.removed.push(id);
    else if (same(old, now)) diff.unchanged.push(id);
    else diff.modified.push({ id, changes: policyFieldChanges(old, now), rules: diffRules(old.rules ?? [], now.rules ?? []) });
  }
  return diff;
}

export function diffBundles(a: Bundle, b: Bundle): BundleDiff {
  const diff: BundleDiff = diffPolicies(a.policies, b.policies);
  if (a.version !== b.version) diff.version = { from: a.version, to: b.version };
  if (a.defaultDecision !== b.defaultDecision) diff.defaultDecision = { from: a.defaultDecision, to: b.defaultDecision };
  return diff;
}

/** Lines for people: `+` added, `-` removed, `~` modified with what changed, then a count. */
export function formatDiff(d: PolicyDiff | BundleDiff): string {
  const lines: string[] = [];
  if ('version' in d && d.version) lines.push(`version: ${d.version.from} → ${d.version.to}`);
  if ('defaultDecision' in d && d.defaultDecision) lines.push(`defaultDecision: ${d.defaultDecision.from} → ${d.defaultDecision.to}`);
  for (const id of d.added) lines.push(`+ policy ${id}`);
  for (const id of d.removed) lines.push(`- policy ${id}`);
  for (const policy of d.modified) {
    lines.push(`~ policy ${policy.id}`);
    for (const change of policy.changes) lines.push(`    ${change}`);
    for (const id of policy.rules.added) lines.push(`    + rule ${id}`);
    for (const id of policy.rules.removed) lines.push(`    - rule ${id}`);
    for (const id of policy.rules.modified) {
      lines.push(`    ~ rule ${id}`);
      for (const change of policy.rules.changes[id] ?? []) lines.push(`        ${change}`);
    }
  }
  if (d.unchanged.length > 0) lines.push(`unchanged: ${d.unchanged.join(', ')}`);
  lines.push(`${d.added.length} added, ${d.removed.length} removed, ${d.modified.length} modified, ${d.unchanged.length} unchanged`);
  return lines.join('\n');
}

function diffRules(a: Rule[], b: Rule[]): RuleDiff {
  const before = byId(a, (r) => r.id);
  const after = byId(b, (r) => r.id);
  const diff: RuleDiff = { added: [], removed: [], modified: [], unchanged: [], changes: {} };
  for (const [id, rule] of after) {
    const old = before.get(id);
    if (!old) diff.added.push(id);
    else if (same(old, rule)) diff.unchanged.push(id);
    else {
      diff.modified.push(id);
      const changes: string[] = [];
      describeChanges(old, rule, '', changes);
      diff.changes[id] = changes;
    }
  }
  for (const id of before.keys()) if (!after.has(id)) diff.removed.push(id);
  return diff;
}

function policyFieldChanges(a: Policy, b: Policy): string[] {
  const { rules: rulesA = [], ...restA } = a;
  const { rules: rulesB = [], ...restB } = b;
  const changes: string[] = [];
  describeChanges(restA, restB, '', changes);
  const idsB = new Set(rulesB.map((r) => r.id));
  const idsA = new Set(rulesA.map((r) => r.id));
  const keptA = rulesA.map((r) => r.id).filter((id) => idsB.has(id));
  const keptB = rulesB.map((r) => r.id).filter((id) => idsA.has(id));
  if (keptA.join('\n') !== keptB.join('\n')) changes.push('rules: order changed');
  return changes;
}

/** Appends `path: old → new` for each leaf that differs; lists of objects with ids pair up by id. */
function describeChanges(a: unknown, b: unknown, path: string, out: string[]): void {
  if (same(a, b)) return;
  if (isPlainObject(a) && isPlainObject(b)) {
    for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
      describeChanges(a[key], b[key], path ? `${path}.${key}` : key, out);
    }
    return;
  }
  if (isListWithIds(a) && isListWithIds(b)) {
    const [before, after] = [byId(a, (x) => x.id), byId(b, (x) => x.id)];
    for (const id of new Set([...before.keys(), ...after.keys()])) describeChanges(before.get(id), after.get(id), `${path}[${id}]`, out);
    return;
  }
  // Same-length lists (a condition's `conditions`) pair up by position, so one changed leaf shows alone.
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    a.forEach((item, i) => describeChanges(item, b[i], `${path}[${i}]`, out));
    return;
  }
  out.push(`${path}: ${show(a)} → ${show(b)}`);
}

function byId<T>(items: T[], idOf: (item: T) => string | undefined): Map<string, T> {
  const map = new Map<string, T>();
  for (const item of items) {
    const id = idOf(item);
    if (typeof id === 'string') map.set(id, item);
  }
  return map;
}

function same(a: unknown, b: unknown): boolean {
  if (a === undefined || b === undefined) return a === b;
  return canonicalJson(a) === canonicalJson(b);
}

function show(value: unknown): string {
  if (value === undefined) return NONE;
  const text = canonicalJson(value);
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS - 1)}…` : text;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isListWithIds(value: unknown): value is Array<{ id: string }> {
  return Array.isArray(value) && value.length > 0 && value.every((x) => isPlainObject(x) && typeof x.id === 'string');
}

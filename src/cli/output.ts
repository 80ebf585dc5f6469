// Formatting shared by the commands: JSON, counts, and a Decision with its trace for people.
import type { Bundle, ConditionTrace, Decision, JsonValue, RuleTrace } from '../policy/types';

const MAX_VALUE_CHARS = 60;
const PASS = '✓';
const FAIL = '✗';

export function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** `1 error`, `2 errors`. */
export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}

/** A JSON value shortened for one line of text. */
export function showValue(value: JsonValue | undefined): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS - 1)}…` : text;
}

/** Decision, reasons, warnings, obligations and, when the decision carries one, the rule tree. */
export interface DecisionTextOptions {
  /** Fields enrichment added, as `path = value`. */
  enriched?: string[];
  /** `policyId/ruleId` → the rule's action, to show beside each rule. */
  actions?: Map<string, string>;
}

export function formatDecisionText(d: Decision, opts: DecisionTextOptions = {}): string {
  const { enriched = [], actions } = opts;
  const lines = [`decision: ${d.decision}`];
  lines.push(...section('reasons', d.reasons));
  lines.push(...section('warnings', d.warnings.map((w) => `${w.policyId}/${w.ruleId}: ${w.message}`)));
  lines.push(...section('obligations', d.obligations.map((o) => JSON.stringify(o))));
  lines.push(...section('errors', (d.errors ?? []).map((e) => `${e.policyId}/${e.ruleId}: ${e.message} (onError ${e.onError})`)));
  lines.push(...section('shadow (would have matched, did not decide)', (d.shadow ?? []).map((m) => `${m.policyId}/${m.ruleId} → ${m.decision}`)));
  lines.push(`bundle: ${d.bundle.version} ${d.bundle.hash}`);
  if (enriched.length > 0) lines.push(...section('enriched', enriched));
  if (d.trace) lines.push(...section('rules', d.trace.flatMap((rule) => formatRuleTrace(rule, actions))));
  return `${lines.join('\n')}\n`;
}

function section(title: string, items: string[]): string[] {
  return items.length === 0 ? [] : [`${title}:`, ...items.map((item) => `  ${item}`)];
}

/** `✓ policy/rule → deny (priority 100)` and its condition tree, two spaces per level. */
export function formatRuleTrace(rule: RuleTrace, actions?: Map<string, string>): string[] {
  const action = actions?.get(`${rule.policyId}/${rule.ruleId}`);
  const name = `${rule.policyId}/${rule.ruleId}${action ? ` → ${action}` : ''} (priority ${rule.priority}${rule.shadow ? ', shadow' : ''})`;
  if (rule.skipped) return [`- ${name}: skipped (${rule.skipped === 'namespace' ? 'other namespace' : 'not a candidate'})`];
  const head = `${rule.matched ? PASS : FAIL} ${name}`;
  return rule.condition ? [head, ...formatCondition(rule.condition, 1)] : [head];
}

export function formatCondition(node: ConditionTrace, depth: number): string[] {
  const line = `${'  '.repeat(depth)}${node.result ? PASS : FAIL} ${describeNode(node)}`;
  if (node.kind === 'leaf' || node.kind === 'const') return [line];
  if (node.kind === 'quantifier') {
    if (!node.decidedBy) return [line];
    return [line, `${'  '.repeat(depth + 1)}element ${node.decidedBy.index}:`, ...formatCondition(node.decidedBy.condition, depth + 2)];
  }
  return [line, ...node.children.flatMap((child) => formatCondition(child, depth + 1))];
}

function describeNode(node: ConditionTrace): string {
  if (node.kind === 'const') return String(node.result);
  if (node.kind === 'quantifier') {
    const each = node.elements && node.elements.length > 0 ? `: ${node.elements.map((e) => `[${e.index}] ${e.result}`).join(', ')}` : '';
    return `${node.operator} ${node.field} (${node.size} element${node.size === 1 ? '' : 's'}${node.decidedBy ? `, decided by element ${node.decidedBy.index}` : each})`;
  }
  if (node.kind !== 'leaf') return node.kind;
  const operand = node.valueField !== undefined
    ? ` ${node.valueField}${node.expected !== undefined ? ` (= ${showValue(node.expected)})` : ' (missing)'}`
    : node.expected !== undefined ? ` ${showValue(node.expected)}` : '';
  const saw = node.missing ? 'missing' : `saw ${showValue(node.actual)}`;
  return `${node.field} ${node.operator}${operand} (${saw})`;
}

/** `policyId/ruleId` → decision of every rule in a bundle. */
export function ruleActions(bundle: Bundle): Map<string, string> {
  const map = new Map<string, string>();
  for (const policy of bundle.policies) for (const rule of policy.rules) map.set(`${policy.metadata.id}/${rule.id}`, rule.action.decision);
  return map;
}

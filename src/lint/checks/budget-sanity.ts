// budget-sanity: budgets and rate limits that cannot work as meant.
// - error: a limit that is not a positive number (0 refuses everything), a token or request limit
//   that is not whole, a limit with no amount at all (bundle input; parse rejects these);
// - warning: a limit so high it looks like a typo (costUsd > 1,000,000, tokens > 10^10,
//   requests > 10^9); a costUsd limit below one typical request ($0.01), which refuses nearly
//   every request; a scope that is a list (a counter needs one value, so the budget never applies)
//   or a value that changes per request (one counter per prompt never adds up). Unknown scope
//   fields are unknown-field's.
// - info: the seed's "needs_approval rules should carry cost information", adapted: approval is
//   also right for reasons other than cost (PII, a risky model), so rather than warn, say so
//   when neither the condition nor the reason mentions a cost or budget field, since an approver
//   usually wants the figure.
import { leavesOf } from '../conditions';
import { findingAt, type LintFinding } from '../finding';
import { checkField, SCOPE_FIELDS } from '../known-fields';
import { placeholdersOf } from '../placeholders';
import type { Check, LimitEntry, RuleEntry } from '../lint-set';

const ABSURD: Record<string, number> = { costUsd: 1_000_000, tokens: 10_000_000_000, requests: 1_000_000_000 };
const TYPICAL_REQUEST_COST_USD = 0.01;
const WHOLE = new Set(['tokens', 'requests']);
const COST_FIELDS = ['llm.estimatedCost', 'llm.estimatedTokens', 'llm.maxTokens'];

export const checkBudgetSanity: Check = (set) => [
  ...set.limits.flatMap((entry) => [...amountFindings(entry), ...scopeFindings(entry, set.budgetIds)]),
  ...set.rules.filter((r) => r.rule.action.decision === 'needs_approval').flatMap(approvalFinding),
];

function amountFindings(entry: LimitEntry): LintFinding[] {
  const what = entry.kind === 'budget' ? 'budget' : 'rate limit';
  const at = (path: string, severity: LintFinding['severity'], message: string, suggestion: string) =>
    findingAt(entry.policy, `${entry.path}.${path}`, { severity, code: 'budget-sanity', message: `${what} "${entry.limit.id}": ${message}`, suggestion });
  const amounts = Object.entries(entry.limit.limit) as Array<[string, unknown]>;
  if (amounts.length === 0) return [at('limit', 'error', 'the limit names no amount', 'give at least one of costUsd, tokens, requests')];
  return amounts.flatMap(([name, value]): LintFinding[] => {
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
      return [at(`limit.${name}`, 'error', `limit.${name} is ${JSON.stringify(value)}; it must be a positive number (0 would refuse every request)`, 'set a positive limit, or remove the limit')];
    }
    if (WHOLE.has(name) && !Number.isInteger(value)) {
      return [at(`limit.${name}`, 'error', `limit.${name} is ${value}; ${name} are counted in whole numbers`, `use a whole number such as ${Math.max(1, Math.round(value))}`)];
    }
    if (value > ABSURD[name]) {
      return [at(`limit.${name}`, 'warning', `limit.${name} of ${value} is so high it never binds; it looks like a typo`, `check the number; the limit is per ${entry.limit.window}`)];
    }
    if (name === 'costUsd' && value < TYPICAL_REQUEST_COST_USD) {
      return [at(`limit.${name}`, 'warning', `limit.costUsd of $${value} per ${entry.limit.window} is less than one typical request (about $${TYPICAL_REQUEST_COST_USD}), so nearly every request would be refused`, `raise the limit, or use a longer window than ${entry.limit.window}`)];
    }
    return [];
  });
}

function scopeFindings(entry: LimitEntry, budgetIds: readonly string[]): LintFinding[] {
  const scope = entry.limit.scope;
  const verdict = checkField(scope, { stage: 'request', budgetIds });
  if (!verdict.known || SCOPE_FIELDS.has(scope) || /^(metadata|request)\./.test(scope)) return [];
  const problem = verdict.type === 'list'
    ? `scope "${scope}" is a list, and a counter needs one value, so this limit never applies`
    : `scope "${scope}" is not an identity but a value that varies per request, so its counters hardly ever add up`;
  return [findingAt(entry.policy, `${entry.path}.scope`, {
    severity: 'warning',
    code: 'budget-sanity',
    message: `${entry.kind === 'budget' ? 'budget' : 'rate limit'} "${entry.limit.id}": ${problem}`,
    suggestion: 'scope by who spends: user.id, team.id or project.id (or a metadata.* field of your own)',
  })];
}

function approvalFinding(entry: RuleEntry): LintFinding[] {
  const fields = [
    ...leavesOf(entry.rule.condition, '').flatMap(({ leaf }) => [leaf.field, leaf.valueField]),
    ...placeholdersOf(entry.rule.action.reason),
  ];
  if (fields.some((f) => typeof f === 'string' && (COST_FIELDS.includes(f) || f.startsWith('budget.')))) return [];
  return [findingAt(entry.policy, entry.path, {
    severity: 'info',
    code: 'budget-sanity',
    message: 'needs_approval rule mentions no cost: neither its condition nor its reason uses llm.estimatedCost, llm.estimatedTokens, llm.maxTokens or a budget.* field',
    suggestion: 'if cost matters to the approver, put it in the reason, e.g. "Estimated cost ${{llm.estimatedCost}} needs approval"',
  }, entry.rule.id)];
}

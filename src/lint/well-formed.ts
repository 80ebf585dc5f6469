// The least shape lint needs to read a policy safely. parsePolicies guarantees far more; these
// guard hand-built objects and foreign bundles, so lint reports them instead of throwing.

const DECISIONS = new Set(['allow', 'deny', 'warn', 'modify', 'needs_approval']);

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isOptionalNumber = (value: unknown) => value === undefined || (typeof value === 'number' && Number.isFinite(value));

/** What is wrong with a policy as a whole, or undefined when its parts can be read. */
export function policyProblem(policy: unknown): { path: string; message: string } | undefined {
  if (!isObject(policy)) return { path: '', message: 'a policy must be an object' };
  if (!isObject(policy.metadata) || typeof policy.metadata.id !== 'string') return { path: 'metadata.id', message: 'a policy needs metadata.id' };
  if (!isOptionalNumber(policy.metadata.priority)) return { path: 'metadata.priority', message: 'metadata.priority must be a number' };
  if (!Array.isArray(policy.rules)) return { path: 'rules', message: 'rules must be a list' };
  for (const list of ['budgets', 'rateLimits']) {
    if (policy[list] !== undefined && !Array.isArray(policy[list])) return { path: list, message: `${list} must be a list` };
  }
  return undefined;
}

/** What keeps a rule from being read, or undefined. */
export function ruleProblem(rule: unknown): { path: string; message: string } | undefined {
  if (!isObject(rule)) return { path: '', message: 'a rule must be an object' };
  if (typeof rule.id !== 'string') return { path: 'id', message: 'a rule needs an id' };
  if (!isObject(rule.action) || !DECISIONS.has(rule.action.decision as string)) {
    return { path: 'action.decision', message: `action.decision must be one of ${[...DECISIONS].join(', ')}` };
  }
  if (rule.condition === undefined) return { path: 'condition', message: 'a rule needs a condition' };
  if (!isOptionalNumber(rule.priority)) return { path: 'priority', message: 'priority must be a number' };
  return undefined;
}

/** What keeps a budget or rate limit from being read, or undefined. */
export function limitProblem(limit: unknown): { path: string; message: string } | undefined {
  if (!isObject(limit)) return { path: '', message: 'a budget or rate limit must be an object' };
  if (typeof limit.id !== 'string') return { path: 'id', message: 'a budget or rate limit needs an id' };
  if (typeof limit.scope !== 'string') return { path: 'scope', message: 'a budget or rate limit needs a scope (a field path)' };
  if (!isObject(limit.limit)) return { path: 'limit', message: 'a budget or rate limit needs a limit' };
  return undefined;
}

// What the decision stage needs from a bundle besides its evaluator, worked out once per compiled bundle:
// its budgets and rate limits (with their policy's namespace), whether any rule runs on the
// response, and which budgets conditions read (`budget.<id>.…`), so the budget snapshot is
// fetched only for bundles that use it.
import { conditionFields } from '../../policy/condition-fields';
import type { Budget, Evaluator, RateLimit } from '../../policy/types';

interface PolicyLimits {
  namespace?: string;
  budgets: Budget[];
  rateLimits: RateLimit[];
}

export interface BundleFacts {
  limits: PolicyLimits[];
  hasResponseRules: boolean;
  /** Budget ids some condition reads through `budget.<id>.…`. */
  budgetsRead: Set<string>;
}

const cache = new WeakMap<Evaluator, BundleFacts>();

export function factsOf(evaluator: Evaluator): BundleFacts {
  let facts = cache.get(evaluator);
  if (!facts) {
    facts = collect(evaluator);
    cache.set(evaluator, facts);
  }
  return facts;
}

function collect(evaluator: Evaluator): BundleFacts {
  const limits: PolicyLimits[] = [];
  const budgetsRead = new Set<string>();
  let hasResponseRules = false;
  for (const policy of evaluator.bundle.policies) {
    if ((policy.status ?? 'active') !== 'active') continue;
    if (policy.budgets?.length || policy.rateLimits?.length) {
      limits.push({ namespace: policy.metadata.namespace, budgets: policy.budgets ?? [], rateLimits: policy.rateLimits ?? [] });
    }
    for (const rule of policy.rules) {
      if (rule.enabled === false) continue;
      if (rule.stage === 'response') hasResponseRules = true;
      for (const path of conditionFields(rule.condition)) {
        const match = /^budget\.([^.]+)/.exec(path);
        if (match) budgetsRead.add(match[1]);
      }
    }
  }
  return { limits, hasResponseRules, budgetsRead };
}

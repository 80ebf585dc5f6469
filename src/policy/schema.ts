// The policy language (spec §1, §2, §5, §6) as zod 4 schemas. They validate only: parsePolicies
// returns the objects exactly as written, so nothing here transforms or fills in defaults.
import * as z from 'zod';
import { languageErrors } from './messages';
import { strict } from './schema-helpers';
import { conditionSchema } from './schema-conditions';
import { misplacedElementPaths } from './element-paths';
import { obligationSchema } from './schema-obligations';
import { fieldPathSchema, idSchema, integerSchema, jsonValueSchema, positiveInteger, positiveNumber, semverSchema } from './schema-values';
import type { Budget, Policy, PolicyMetadata, RateLimit, Rule, RuleAction } from './types';

export { conditionSchema, allConditionSchema, anyConditionSchema, notConditionSchema, quantifiedConditionSchema, leafConditionSchemas } from './schema-conditions';
export { obligationSchema, obligationSchemas } from './schema-obligations';
export { fieldPathSchema, idSchema, jsonValueSchema, semverSchema, regexSchema, flagsSchema, ID_PATTERN } from './schema-values';
export { languageErrors } from './messages';

export const ruleDecisionSchema = z.enum(['allow', 'deny', 'warn', 'modify', 'needs_approval']);
export const windowSchema = z.enum(['minute', 'hour', 'day', 'month']);

export const actionSchema: z.ZodType<RuleAction> = strict({
  decision: ruleDecisionSchema,
  reason: z.string().optional(),
  obligations: z.array(obligationSchema).optional(),
}).superRefine((action, ctx) => {
  if (action.decision === 'modify' && !action.obligations?.length) {
    ctx.addIssue({ code: 'custom', path: ['obligations'], message: 'a modify rule needs at least one obligation' });
  }
});

export const ruleSchema: z.ZodType<Rule> = strict({
  id: idSchema,
  name: z.string().optional(),
  description: z.string().optional(),
  enabled: z.boolean().optional(),
  priority: integerSchema.optional(),
  stage: z.enum(['request', 'response']).optional(),
  onError: z.enum(['deny', 'allow']).optional(),
  mode: z.enum(['enforce', 'shadow']).optional(),
  condition: conditionSchema,
  action: actionSchema,
}).superRefine((rule, ctx) => {
  for (const problem of misplacedElementPaths(rule as unknown as Record<string, unknown>)) ctx.addIssue({ code: 'custom', ...problem });
});

export const budgetSchema: z.ZodType<Budget> = strict({
  id: idSchema,
  scope: fieldPathSchema,
  window: windowSchema,
  limit: strict({ costUsd: positiveNumber.optional(), tokens: positiveInteger.optional(), requests: positiveInteger.optional() })
    .superRefine((limit, ctx) => {
      if (limit.costUsd === undefined && limit.tokens === undefined && limit.requests === undefined) {
        ctx.addIssue({ code: 'custom', message: 'a budget limit needs at least one of costUsd, tokens, requests' });
      }
    }),
  onExceed: z.enum(['deny', 'warn']).optional(),
  onUnavailable: z.enum(['deny', 'allow']).optional(),
  lease: z.enum(['auto', 'off']).optional(),
});

export const rateLimitSchema: z.ZodType<RateLimit> = strict({
  id: idSchema,
  scope: fieldPathSchema,
  window: windowSchema,
  limit: strict({ requests: positiveInteger.optional(), tokens: positiveInteger.optional() }).superRefine((limit, ctx) => {
    if (limit.requests === undefined && limit.tokens === undefined) {
      ctx.addIssue({ code: 'custom', message: 'a rate limit needs at least one of requests, tokens' });
    }
  }),
  lease: z.enum(['auto', 'off']).optional(),
});

export const metadataSchema: z.ZodType<PolicyMetadata> = strict({
  id: idSchema,
  name: z.string().optional(),
  version: semverSchema.optional(),
  namespace: z.string().min(1).optional(),
  priority: integerSchema.optional(),
  description: z.string().optional(),
  tags: z.array(z.string()).optional(),
  source: z.record(z.string(), jsonValueSchema).optional(),
  mode: z.enum(['enforce', 'shadow']).optional(),
});

export const policySchema: z.ZodType<Policy> = strict({
  metadata: metadataSchema,
  status: z.enum(['active', 'draft', 'disabled']).optional(),
  rules: z.array(ruleSchema).min(1),
  budgets: z.array(budgetSchema).optional(),
  rateLimits: z.array(rateLimitSchema).optional(),
}).superRefine((policy, ctx) => {
  reportDuplicates(ctx, [policy.rules.map((rule) => ['rules', rule.id])], 'rule id');
  reportDuplicates(
    ctx,
    [(policy.budgets ?? []).map((b) => ['budgets', b.id]), (policy.rateLimits ?? []).map((r) => ['rateLimits', r.id])],
    'budget or rate limit id',
  );
});

/** Reports each id seen before, at its `id`, naming where it was first used. */
function reportDuplicates(ctx: z.core.$RefinementCtx<unknown>, groups: [string, string][][], what: string): void {
  const firstSeen = new Map<string, string>();
  for (const group of groups) {
    group.forEach(([list, id], index) => {
      const first = firstSeen.get(id);
      if (first) ctx.addIssue({ code: 'custom', path: [list, index, 'id'], message: `duplicate ${what} "${id}" (first used at ${first})` });
      else firstSeen.set(id, `${list}[${index}]`);
    });
  }
}

/** Validates one policy; the issues carry this module's plain-language messages. */
export function validatePolicy(value: unknown): z.core.$ZodIssue[] {
  const result = policySchema.safeParse(value, { error: languageErrors });
  return result.success ? [] : result.error.issues;
}

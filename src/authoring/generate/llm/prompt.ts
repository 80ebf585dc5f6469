// What the llm backend tells the model: the policy language, the context fields and operators,
// and the answer's JSON schema (derived from the zod schemas the gates check with).
import * as z from 'zod';
import { policySchema } from '../../../policy/schema';
import { testCaseSchema } from '../../../testing/test-file-schema';
import { PII_TYPES, REQUEST_FIELD_NAMES } from '../../../lint/known-fields';

/** The answer: one policy and the tests that prove it. Conditions are recursive; the prompt teaches them. */
export const answerSchema = z.object({ policy: policySchema, tests: z.array(testCaseSchema).min(2) });

export const ANSWER_JSON_SCHEMA = z.toJSONSchema(answerSchema, { unrepresentable: 'any', io: 'input' }) as Record<string, unknown>;

export const SYSTEM_PROMPT = `You write policies for llm-policy, a policy engine for LLM traffic, and the tests that prove them.
Answer with one JSON object {"policy": <policy>, "tests": [<test>, ...]} and nothing else.

A policy:
{"metadata": {"id": "kebab-case-id", "name": "...", "description": "..."},
 "rules": [{"id": "kebab-case", "name": "...", "condition": <condition>,
            "action": {"decision": "deny|allow|warn|modify|needs_approval", "reason": "text with {{field}} placeholders",
                       "obligations": [<obligation>]}}],
 "budgets": [{"id": "...", "scope": "team.id", "window": "minute|hour|day|month", "limit": {"costUsd": 50}}],
 "rateLimits": [{"id": "...", "scope": "user.id", "window": "minute", "limit": {"requests": 60}}]}
Ids match ^[a-z0-9][a-z0-9._-]{0,127}$. Unknown keys are errors. deny and needs_approval rules need a reason.
A modify rule needs obligations: {"type": "set_max_tokens", "value": N}, {"type": "redact_pii", "types": [${PII_TYPES.join(', ')}]},
{"type": "route_model", "model": M}, {"type": "add_header", "name": H, "value": V}, {"type": "tag", "key": K, "value": V}.

A condition: true | false | {"operator": "and"|"or", "conditions": [...]} | {"operator": "not", "condition": C}
| {"operator": OP, "field": PATH, "value": V} with OP one of eq ne gt gte lt lte in not_in contains not_contains matches starts_with ends_with
| {"operator": "exists"|"not_exists", "field": PATH}.
in/not_in take a list; gt..lte a number; matches an RE2 regex. Comparisons on a missing field are false; ne, not_in, not_contains on a missing field are true.

Fields (use only these; metadata.* is free for the caller's own facts, e.g. metadata.metrics.errorRate):
${REQUEST_FIELD_NAMES.join(', ')}, budget.<budgetId>.remaining.<costUsd|tokens|requests>, budget.<budgetId>.used.<...>.
time.hour is 0-23 UTC, time.weekday 0=Sunday. llm.estimatedCost is USD. llm.injectionScore is 0..1. user.roles is a list.

Decisions: deny beats needs_approval beats allow at one priority; warn adds a warning; modify adds obligations (returned only on allow).

A test: {"name": "unique name", "context": {<the request context, nested objects, e.g. {"team": {"tier": "free"}, "llm": {"model": "gpt-4o"}}>},
 "expect": {"decision": "allow|deny|needs_approval", "matchedRules": ["<policyId>/<ruleId>"], "notMatchedRules": [...]}}.
Contexts are not enriched: give every field a rule reads. Write tests on both sides of every threshold (at the value and just beyond)
and of every exception, and for every rule at least one test where it matches and one where it does not.`;

export function userPrompt(text: string, kind: string, scope?: object): string {
  const what = kind === 'pattern' ? 'this organizational pattern (write deny rules only)' : kind === 'suggestion' ? 'this suggestion' : 'this description';
  const narrowed = scope ? `\n\nIt applies only to requests in this scope (team = team.id, tier = team.tier, project = project.id; the namespace is set for you): ${JSON.stringify(scope)}` : '';
  return `Write the policy and its tests for ${what}:\n\n${text}${narrowed}`;
}

export function feedbackPrompt(problems: string[]): string {
  return `That answer was rejected by the validation gates:\n${problems.map((p) => `- ${p}`).join('\n')}\nFix these and answer again with the whole JSON object.`;
}

// The policy test file format (spec §9, plus `now`, `enrich` and `reasons`), as strict zod schemas:
// an unknown key is an error, so a misspelt expectation cannot silently pass.
import * as z from 'zod';
import { describeValue } from '../policy/messages';
import { obligationSchema } from '../policy/schema-obligations';
import { isPlainObject, strict } from '../policy/schema-helpers';
import { jsonValueSchema } from '../policy/schema-values';
import type { FinalDecision, JsonValue, Obligation } from '../policy/types';

/** A rule reference: `policyId/ruleId`, or a bare rule id that is unique in the bundle. */
const ruleRef = z.string().min(1);

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/;

/** A fixed clock for time-based policies. A zone is required so that a test means one instant. */
const nowSchema = z.string({ error: 'now must be a quoted ISO 8601 date-time, like "2026-03-02T09:30:00Z"' }).refine(
  (s) => ISO_DATE_TIME.test(s) && !Number.isNaN(Date.parse(s)),
  { error: (issue) => `now must be an ISO 8601 date-time with a zone, like "2026-03-02T09:30:00Z", got ${describeValue(issue.input)}` },
);

const decisionSchema = z.enum(['allow', 'deny', 'needs_approval'], {
  error: (issue) =>
    issue.input === 'warn' || issue.input === 'modify'
      ? `${issue.input} is not a final decision (allow, deny or needs_approval): a warn rule shows in "warnings", a modify rule in "obligations"`
      : undefined,
});

const expectSchema = strict({
  decision: decisionSchema.optional(),
  reasons: z.array(z.string()).optional(),
  matchedRules: z.array(ruleRef).optional(),
  notMatchedRules: z.array(ruleRef).optional(),
  warnings: z.union([z.int().min(0), z.array(ruleRef)], {
    error: 'warnings is a count (0, 1, ...) or a list of rule ids',
  }).optional(),
  obligations: z.array(obligationSchema).optional(),
  shadow: z.array(ruleRef).optional(),
}).refine((expect) => Object.keys(expect).length > 0, {
  error: 'expect needs at least one of decision, reasons, matchedRules, notMatchedRules, warnings, obligations, shadow',
});

const contextSchema = z.looseObject({}, {
  error: (issue) => (issue.input === undefined ? undefined : `context must be a mapping (the request context), got ${describeValue(issue.input)}`),
}).superRefine((context, ctx) => {
  const json = jsonValueSchema.safeParse(context);
  if (!json.success) for (const issue of json.error.issues) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
  // YAML 1.2 reads `<<: *base` as an ordinary key, so the test would silently see other fields.
  else if (hasMergeKey(context)) ctx.addIssue({ code: 'custom', message: 'YAML merge keys (<<) are not supported here: write the context out in full (an alias *name reuses a whole context)' });
}) as unknown as z.ZodType<Record<string, JsonValue>>;

function hasMergeKey(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasMergeKey);
  if (!isPlainObject(value)) return false;
  return Object.prototype.hasOwnProperty.call(value, '<<') || Object.values(value).some(hasMergeKey);
}

export const testCaseSchema = strict({
  name: z.string().min(1),
  context: contextSchema,
  expect: expectSchema,
  now: nowSchema.optional(),
  enrich: z.boolean().optional(),
});

/** The file's own keys; each test is validated on its own, so one bad test does not hide the rest. */
export const testFileSchema = strict({
  tests: z.array(z.unknown()).min(1),
  now: nowSchema.optional(),
  enrich: z.boolean().optional(),
});

export interface Expectations {
  decision?: FinalDecision;
  reasons?: string[];
  matchedRules?: string[];
  notMatchedRules?: string[];
  warnings?: number | string[];
  obligations?: Obligation[];
  /** Shadow rules that must be listed in the Decision's `shadow` (they would have fired). */
  shadow?: string[];
}

export interface TestCase {
  name: string;
  context: Record<string, JsonValue>;
  expect: Expectations;
  now?: string;
  enrich?: boolean;
}

export interface TestFileDefaults {
  now?: string;
  enrich?: boolean;
}

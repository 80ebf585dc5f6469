// The CLI's authoring commands over HTTP, on policy files sent in the body (admin; they publish
// nothing). What the Policy Studio calls.
//   POST /v1/policies/lint      {files}                       -> {findings, summary}      (llm-policy lint)
//   POST /v1/policies/test      {files, enrich?}              -> {passed, failed, results} (llm-policy test)
//   POST /v1/policies/simulate  {files, contexts | synthetic, compare?, enrich?, now?, examples?, explain?}
//                                                             -> SimulationReport (+ decisions with explain)
//     or {files, fromDecisions: {since, until?, limit?}}   -> ReplayReport: the recorded decisions
//                                                             of the log replayed (simulate --from-decisions)
//   POST /v1/policies/diff      {files, against?: {files}}    -> {diff, before, after}     (llm-policy diff)
//   POST /v1/policies/generate  {text | suggestion | pattern, shadow?, files?}
//                                                             -> {files, policies, gates}, or 422 with the
//                                                             gate that stopped it (llm-policy generate, rules backend;
//                                                             with files, also its merged-folder gate on them)
//     before/after.files: each side's policies printed alike, one file per policy, for a side-by-side view
// Findings and test results are located by file:line:column of the files as sent. `compare` and
// `diff` default to the running (stable) bundle, so "what would this change" needs no upload.
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { diffPolicies } from '../../bundle/diff';
import { enrich } from '../../enrich/index';
import { lint, type LintFinding } from '../../lint/index';
import { PolicyError } from '../../policy/errors';
import { isTestFile } from '../../policy/source-files';
import type { Decision, Evaluator } from '../../policy/types';
import { besideGate } from '../../authoring/generate/beside';
import { generate, type Gate, type GenerateResult } from '../../authoring/generate/index';
import { queryDecisions } from '../../durable/decisions-client';
import type { DecisionRecord } from '../../durable/decision-types';
import type { DecisionsEnv } from '../../durable/env';
import { replayDecisions } from '../../simulate/replay';
import { simulate, type SimulationContext } from '../../simulate/simulate';
import { syntheticContexts } from '../../simulate/synthetic';
import { readTestFile } from '../../testing/read-test-file';
import { runTestSources } from '../../testing/suite';
import type { AppEnv } from '../app-env';
import { evaluatorOfFiles, filesOfPolicies, filesSchema, parseFiles, sourcesOf, type Files } from '../authoring/policy-files';
import { loaderFor } from '../bundle/registry';
import { ApiError } from '../http/api-error';
import { readJsonBody } from '../http/read-json';
import { validate } from '../http/validate';
import { waitUntilOf } from '../http/wait-until';
import { requireAdmin } from '../middleware/auth';

export const MAX_SIMULATE_CONTEXTS = 1000;
export const MAX_SYNTHETIC = 10_000;
/** Full decisions (with explain traces) are returned only for small runs: the sandbox's. */
export const MAX_EXPLAINED = 20;
/** Recorded decisions one replay reads from the log (the CLI replays any NDJSON export). */
export const MAX_REPLAYED = 10_000;

const isoTime = z.string().refine((s) => /^\d{4}-\d{2}-\d{2}T/.test(s) && !Number.isNaN(Date.parse(s)), 'expected an ISO 8601 time like 2026-01-05T14:30:00Z');
const otherFiles = z.strictObject({ files: filesSchema });

const lintBody = z.strictObject({ files: filesSchema });
const testBody = z.strictObject({ files: filesSchema, enrich: z.boolean().optional() });
const diffBody = z.strictObject({ files: filesSchema, against: otherFiles.optional() });
const simulateBody = z.strictObject({
  files: filesSchema,
  contexts: z.array(z.looseObject({})).min(1).max(MAX_SIMULATE_CONTEXTS).optional(),
  synthetic: z.strictObject({ count: z.number().int().min(1).max(MAX_SYNTHETIC), seed: z.union([z.string(), z.number()]).optional() }).optional(),
  compare: z.union([z.enum(['running', 'none']), otherFiles]).optional(),
  enrich: z.boolean().optional(),
  now: isoTime.optional(),
  examples: z.number().int().min(0).max(100).optional(),
  explain: z.boolean().optional(),
  fromDecisions: z.strictObject({ since: isoTime, until: isoTime.optional(), limit: z.number().int().min(1).max(MAX_REPLAYED).optional() }).optional(),
});
const generateBody = z.strictObject({
  text: z.string().min(1).max(10_000).optional(),
  suggestion: z.looseObject({}).optional(),
  pattern: z.looseObject({}).optional(),
  shadow: z.boolean().optional(),
  /** The folder the policy joins (the Studio's edited files): the merged-folder gate runs on it. */
  files: filesSchema.optional(),
});

export const policies = new Hono<AppEnv>();

policies.use(requireAdmin());

policies.post('/lint', async (c) => {
  const { files } = validate(lintBody, await body(c));
  const { policies: parsed, problems } = parseFiles(files);
  const findings = [...problems.map(problemFinding), ...testFileFindings(files), ...lint(parsed)];
  const summary = {
    errors: findings.filter((f) => f.severity === 'error').length,
    warnings: findings.filter((f) => f.severity === 'warning').length,
    info: findings.filter((f) => f.severity === 'info').length,
  };
  return c.json({ findings, summary });
});

policies.post('/test', async (c) => {
  const { files, enrich: enrichAll } = validate(testBody, await body(c));
  return c.json(await runTestSources(sourcesOf(files), { enrich: enrichAll }));
});

policies.post('/simulate', async (c) => {
  const input = validate(simulateBody, await body(c));
  const sources = [input.contexts, input.synthetic, input.fromDecisions].filter((x) => x !== undefined).length;
  if (sources !== 1) throw new ApiError(400, 'invalid_request', 'give exactly one of contexts, synthetic and fromDecisions');
  if (input.fromDecisions) {
    const { evaluator } = await evaluatorOfFiles(input.files, '0.0.0-edited');
    const records = await recordedDecisions(c.env, input.fromDecisions);
    return c.json(replayDecisions(evaluator, records, { examples: input.examples }));
  }
  if (input.explain && (input.contexts?.length ?? MAX_EXPLAINED + 1) > MAX_EXPLAINED) {
    throw new ApiError(400, 'invalid_request', `explain: only with contexts, at most ${MAX_EXPLAINED} of them`);
  }
  const { evaluator } = await evaluatorOfFiles(input.files, '0.0.0-edited');
  const compare = await comparisonOf(c, input.compare ?? 'running');
  const raw = input.contexts ?? syntheticContexts(input.synthetic!.count, input.synthetic!.seed ?? '1');
  const now = input.now === undefined ? new Date() : new Date(input.now);
  const contexts: SimulationContext[] = raw.map((context, i) => ({
    label: `#${i + 1}`,
    context: input.enrich === false ? context : enrich(context, { now }),
  }));
  const report = simulate(evaluator, contexts, compare?.evaluator, { examples: input.examples });
  const explained = input.explain ? { decisions: contexts.map((x) => explainedDecision(evaluator, x.context)) } : {};
  return c.json({ ...report, ...(compare ? { compareSource: compare.source } : {}), ...explained });
});

policies.post('/diff', async (c) => {
  const { files, against } = validate(diffBody, await body(c));
  const after = await evaluatorOfFiles(files, '0.0.0-edited');
  if (against) {
    const before = await evaluatorOfFiles(against.files, '0.0.0-against');
    return c.json({ diff: diffPolicies(before.policies, after.policies), before: { source: 'files', files: filesOfPolicies(before.policies) }, after: { files: filesOfPolicies(after.policies) } });
  }
  const running = await runningEvaluator(c);
  const beforePolicies = running?.bundle.policies ?? [];
  const before = running
    ? { source: 'running', version: running.bundle.version, hash: running.bundle.hash, files: filesOfPolicies(running.bundle.policies) }
    : { source: 'running', version: null, files: {} };
  return c.json({ diff: diffPolicies(beforePolicies, after.policies), before, after: { files: filesOfPolicies(after.policies) } });
});

async function body(c: Context<AppEnv>): Promise<unknown> {
  return readJsonBody(c.req.raw, c.get('config').maxBodyBytes);
}

async function runningEvaluator(c: Context<AppEnv>): Promise<Evaluator | undefined> {
  const active = await loaderFor(c.env, c.get('config')).get(waitUntilOf(c));
  return active?.stable.evaluator;
}

/** The "before" side: the running stable bundle (none when nothing is published), other files, or nothing. */
async function comparisonOf(c: Context<AppEnv>, compare: 'running' | 'none' | { files: Files }): Promise<{ evaluator: Evaluator; source: Record<string, unknown> } | undefined> {
  if (compare === 'none') return undefined;
  if (compare === 'running') {
    const running = await runningEvaluator(c);
    return running && { evaluator: running, source: { source: 'running', version: running.bundle.version, hash: running.bundle.hash } };
  }
  return { evaluator: (await evaluatorOfFiles(compare.files, '0.0.0-compare')).evaluator, source: { source: 'files' } };
}

function explainedDecision(evaluator: Evaluator, context: object): Decision & { context: object } {
  return { ...evaluator.evaluate(context, { explain: true }), context };
}

/** A file that does not parse, as a lint error at its place (kebab-case code like lint's own). */
function problemFinding(err: PolicyError): LintFinding {
  return located({ severity: 'error', code: err.code.replace(/_/g, '-'), message: err.message, file: err.file, line: err.line, column: err.column, path: err.path });
}

/** Test files are checked too: the Studio edits them in the same editor. */
function testFileFindings(files: Files): LintFinding[] {
  const findings: LintFinding[] = [];
  for (const { file, text } of sourcesOf(files)) {
    if (!isTestFile(file)) continue;
    try {
      for (const test of readTestFile(text, file).tests) if (test.error) findings.push(testProblem(test.error, file));
    } catch (err) {
      if (!(err instanceof PolicyError)) throw err;
      findings.push(testProblem(err, file));
    }
  }
  return findings;
}

function testProblem(err: PolicyError, file: string): LintFinding {
  return located({ severity: 'error', code: 'test-file', message: err.message, file: err.file ?? file, line: err.line, column: err.column, path: err.path });
}

function located(finding: LintFinding): LintFinding {
  return Object.fromEntries(Object.entries(finding).filter(([, v]) => v !== undefined)) as unknown as LintFinding;
}

policies.post('/generate', async (c) => {
  const input = validate(generateBody, await body(c));
  if ([input.text, input.suggestion, input.pattern].filter((x) => x !== undefined).length !== 1) {
    throw new ApiError(400, 'invalid_request', 'give exactly one of text, suggestion and pattern');
  }
  // The rules backend only: the llm backend needs a provider key, which the CLI holds.
  const { files, ...request } = input;
  const result = await generate({ ...request, backend: 'rules' });
  if (!result.ok) return c.json(result, 422);
  const merged = files ? await besideSentFiles(result, files) : result;
  return merged.ok ? c.json(merged) : c.json(merged, 422);
});

type Generated = Extract<GenerateResult, { ok: true }>;

/**
 * The merged-folder gate of `llm-policy generate --out`, on the files sent: the generated policy
 * beside the others (a sent file of the same name is the one it replaces). A file that does not
 * parse fails the gate, as it would fail `llm-policy test` on the folder.
 */
async function besideSentFiles(result: Generated, files: Files): Promise<GenerateResult> {
  const names = new Set(Object.keys(result.files));
  const others = Object.fromEntries(Object.entries(files).filter(([name]) => !names.has(name)));
  const label = 'beside the sent files';
  const { policies: existing, problems } = parseFiles(others);
  const refuse = (gate: Gate): GenerateResult => ({ ok: false, error: { code: 'invalid', message: `${gate.gate}: ${gate.message}` }, gates: [...result.gates, gate] });
  if (problems.length > 0) return refuse({ gate: label, ok: false, message: problems[0].describe() });
  if (existing.length === 0) return result;
  const testName = [...names].find((n) => isTestFile(n))!;
  const testFiles = sourcesOf(others).filter((f) => isTestFile(f.file));
  const beside = await besideGate({ label, policies: existing, testFiles }, result.policies[0], testName, result.files[testName]);
  if (!beside.gate.ok) return refuse(beside.gate);
  return { ...result, files: { ...result.files, [testName]: beside.testText }, gates: [...result.gates, beside.gate] };
}

/** The log's records in the window, newest first, at most `limit` (pages of 1,000). */
async function recordedDecisions(env: DecisionsEnv, w: { since: string; until?: string; limit?: number }): Promise<DecisionRecord[]> {
  const limit = w.limit ?? MAX_REPLAYED;
  const records: DecisionRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await queryDecisions(env, { since: w.since, until: w.until, limit: Math.min(1000, limit - records.length), cursor });
    records.push(...page.records);
    cursor = page.nextCursor;
  } while (cursor && records.length < limit);
  return records;
}

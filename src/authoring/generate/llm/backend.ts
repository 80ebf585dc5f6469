// The llm backend: asks the model for a policy and its tests, runs them through the gates, and on
// a rejection asks once more with the gates' messages fed back. Two rejections: invalid, with
// the reason.
import { validatePolicy } from '../../../policy/schema';
import { formatPath, type PathSegment } from '../../../policy/paths';
import { languageErrors } from '../../../policy/messages';
import { isPlainObject } from '../../../policy/schema-helpers';
import type { Policy } from '../../../policy/types';
import { testCaseSchema, type TestCase } from '../../../testing/test-file-schema';
import type { Input } from '../inputs';
import type { Draft, Gate, LlmSettings } from '../types';
import { ask, DEFAULT_MODELS, type Turn } from './chat';
import { feedbackPrompt, userPrompt } from './prompt';

const ATTEMPTS = 2;

export type Checked<T> = { done: T; gates: Gate[] };
export type LlmOutcome<T> = { ok: true; done: T } | { ok: false; code: 'not_understood' | 'invalid'; message: string; gates?: Gate[] };

export async function proposeWithLlm<T>(input: Input, settings: LlmSettings, check: (draft: Draft, generator: string) => Promise<Checked<T>>): Promise<LlmOutcome<T>> {
  const generator = `llm-policy/llm:${settings.provider}/${settings.model ?? DEFAULT_MODELS[settings.provider]}`;
  const turns: Turn[] = [{ role: 'user', content: userPrompt(input.text, input.kind, input.scope) }];
  let last: { message: string; gates?: Gate[] } = { message: 'no answer' };
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    let answer: string;
    try {
      answer = await ask(settings, turns);
    } catch (error) {
      return { ok: false, code: 'invalid', message: `the ${settings.provider} API failed: ${oneLine(error)}` };
    }
    const read = readAnswer(answer);
    let problems: string[];
    if (!read.ok) {
      problems = read.problems;
      last = { message: `the model's answer ${read.problems[0]}` };
    } else {
      const checked = await check(read.draft, generator);
      const failed = checked.gates.find((g) => !g.ok);
      if (!failed) return { ok: true, done: checked.done };
      problems = [`${failed.gate} gate: ${failed.message ?? 'failed'}`];
      last = { message: `the model's answer failed the ${failed.gate} gate: ${failed.message ?? 'failed'}`, gates: checked.gates };
    }
    turns.push({ role: 'assistant', content: answer }, { role: 'user', content: feedbackPrompt(problems) });
  }
  return { ok: false, code: 'invalid', message: `${last.message} (after ${ATTEMPTS} attempts)`, gates: last.gates };
}

type ReadAnswer = { ok: true; draft: Draft } | { ok: false; problems: string[] };

/** The answer's JSON, checked against the schemas before anything else looks at it. */
export function readAnswer(text: string): ReadAnswer {
  let value: unknown;
  try {
    value = JSON.parse(text.trim().replace(/^```(?:json)?\s*|\s*```$/g, ''));
  } catch {
    return { ok: false, problems: ['is not JSON: answer with one JSON object {"policy": ..., "tests": [...]}'] };
  }
  if (!isPlainObject(value) || !isPlainObject(value.policy) || !Array.isArray(value.tests)) {
    return { ok: false, problems: ['is not {"policy": {...}, "tests": [...]}'] };
  }
  const policyIssues = validatePolicy(value.policy).map((i) => `policy.${formatPath(i.path as PathSegment[])}: ${i.message}`);
  const testIssues = value.tests.flatMap((t, n) => {
    const parsed = testCaseSchema.safeParse(t, { error: languageErrors });
    return parsed.success ? [] : parsed.error.issues.map((i) => `tests[${n}].${formatPath(i.path as PathSegment[])}: ${i.message}`);
  });
  const problems = [...policyIssues, ...testIssues];
  if (problems.length) return { ok: false, problems: problems.map((p) => `is invalid: ${p}`) };
  return { ok: true, draft: { policy: value.policy as unknown as Policy, tests: value.tests as TestCase[] } };
}

function oneLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/\s*\n\s*/g, ' ');
}

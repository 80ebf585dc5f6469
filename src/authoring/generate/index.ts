// generate: plain English, a suggestion or a pattern -> one validated policy and its tests, as
// file texts. Used by `llm-policy generate` (which writes the files) and by
// POST /v1/policies/generate; no Node imports, so it runs in workerd too.
import pkg from '../../../package.json';
import { sha256Hex } from '../../bundle/hash';
import type { JsonValue, Policy } from '../../policy/types';
import type { TestCase } from '../../testing/test-file-schema';
import { runGates, shadowTestsGate } from './gates';
import { readInput, type Input } from './inputs';
import { proposeWithLlm } from './llm/backend';
import { render, type Rendered } from './render';
import type { PatternScope } from '../patterns/read';
import { oneOf, othersThan, type Atom } from './rules/atoms';
import { compileEnglish } from './rules/compile';
import { TIERS } from './rules/lexicon';
import type { Draft, Gate, GenerateRequest, GenerateResult, Proposal } from './types';

export type { Draft, Gate, GenerateRequest, GenerateResult, LlmSettings } from './types';

const RULES_GENERATOR = `llm-policy/rules@${pkg.version}`;

export async function generate(req: GenerateRequest): Promise<GenerateResult> {
  const read = readInput(req ?? {});
  if (!read.ok) return { ok: false, error: { code: 'invalid', message: read.message }, gates: [] };
  const { input } = read;
  const now = (req.now ?? (() => new Date()))();
  const finish = async (draft: Draft, generator: string): Promise<Finished> => finalize(draft, input, generator, now, req.shadow === true);

  if (input.ready) {
    const done = await finish(input.ready, 'suggestion-policy');
    return result(done);
  }
  const backend = req.backend ?? (req.llm ? 'llm' : 'rules');
  if (backend === 'llm') {
    if (!req.llm) return { ok: false, error: { code: 'invalid', message: 'the llm backend needs provider settings (LLM_POLICY_PROVIDER and an API key)' }, gates: [] };
    const proposal = await proposeWithLlm(input, req.llm, async (draft, generator) => {
      const done = await finish(scoped(draft, input), generator);
      const soft = input.kind === 'pattern' ? softRule(draft.policy) : undefined;
      return { done, gates: soft ? [{ gate: 'pattern', ok: false, message: soft }] : done.gates };
    });
    if (!proposal.ok) return { ok: false, error: { code: proposal.code, message: proposal.message }, gates: proposal.gates ?? [] };
    return result(proposal.done);
  }
  const proposal = proposeWithRules(input);
  if (!proposal.ok) return { ok: false, error: { code: proposal.code, message: proposal.message }, gates: [] };
  return result(await finish(scoped(proposal.draft, input), proposal.generator));
}

function proposeWithRules(input: Input): Proposal {
  const compiled = compileEnglish(input.text, { scope: scopeAtoms(input.scope) });
  if (!compiled.ok) return { ok: false, code: 'not_understood', message: compiled.message };
  const draft = compiled.compiled;
  const soft = input.kind === 'pattern' ? softRule(draft.policy) : undefined;
  if (soft) return { ok: false, code: 'not_understood', message: `pattern ${String(input.source.id)}: ${soft}` };
  return { ok: true, draft, generator: RULES_GENERATOR };
}

/** Seed 001: a pattern becomes deny policies; what else a description asks for is refused. */
function softRule(policy: Policy): string | undefined {
  const soft = policy.rules.find((r) => r.action.decision !== 'deny');
  if (soft) return `"${soft.name ?? soft.id}" is not a deny rule (it would ${soft.action.decision.replace('_', ' ')}); a pattern becomes deny policies`;
  if (policy.budgets?.length || policy.rateLimits?.length) return 'a pattern becomes deny rules, not budgets or rate limits';
  return undefined;
}

/** A pattern's team, tier and project narrow every rule (and are tested on both sides like the rest). */
function scopeAtoms(scope: PatternScope | undefined): Atom[] {
  if (!scope) return [];
  const list = (v: string | string[] | undefined) => (v === undefined ? undefined : Array.isArray(v) ? v : [v]);
  const atoms: Atom[] = [];
  const teams = list(scope.team);
  if (teams) atoms.push(oneOf('team.id', teams, othersThan(teams, ['team-other'], 'team-else')));
  const tiers = list(scope.tier);
  if (tiers) atoms.push(oneOf('team.tier', tiers, othersThan(tiers, TIERS, 'other')));
  const projects = list(scope.project);
  if (projects) atoms.push(oneOf('project.id', projects, othersThan(projects, ['project-other'], 'project-else')));
  return atoms;
}

/** A pattern's policy is named after it and applies in its namespace. */
function scoped(draft: Draft, input: Input): Draft {
  if (input.kind !== 'pattern') return draft;
  const id = `pattern-${String(input.source.id).toLowerCase().replace(/[^a-z0-9._-]+/g, '-')}`.slice(0, 128);
  const oldId = draft.policy.metadata.id;
  const policy: Policy = { ...draft.policy, metadata: { ...draft.policy.metadata, id, ...(input.scope?.namespace ? { namespace: input.scope?.namespace } : {}) } };
  const rename = (ref: string) => (ref.startsWith(`${oldId}/`) ? `${id}/${ref.slice(oldId.length + 1)}` : ref);
  const tests = draft.tests.map((t) => ({
    ...t,
    context: input.scope?.namespace ? withNamespace(t.context, input.scope?.namespace) : t.context,
    expect: {
      ...t.expect,
      ...(t.expect.matchedRules ? { matchedRules: t.expect.matchedRules.map(rename) } : {}),
      ...(t.expect.notMatchedRules ? { notMatchedRules: t.expect.notMatchedRules.map(rename) } : {}),
      ...(Array.isArray(t.expect.warnings) ? { warnings: t.expect.warnings.map(rename) } : {}),
    },
  }));
  return { policy, tests };
}

/** Tests of a namespaced policy run in its namespace, or its rules would be skipped. */
function withNamespace(context: Record<string, JsonValue>, namespace: string): Record<string, JsonValue> {
  const metadata = typeof context.metadata === 'object' && context.metadata !== null && !Array.isArray(context.metadata) ? context.metadata : {};
  return { ...context, metadata: { ...metadata, namespace } };
}

interface Finished {
  policy: Policy;
  rendered: Rendered;
  gates: Gate[];
}

/** Provenance and mode on the policy, the files rendered, and the gates run on exactly those files. */
async function finalize(draft: Draft, input: Input, generator: string, now: Date, shadow: boolean): Promise<Finished> {
  const source: Record<string, JsonValue> = {
    kind: input.kind,
    ...input.source,
    text: input.text,
    sha256: await sha256Hex(input.text),
    generator,
    generatedAt: now.toISOString(),
  };
  const enforced: Policy = { ...draft.policy, metadata: { ...draft.policy.metadata, source } };
  if (!shadow) {
    const rendered = render(enforced, draft.tests, input.text);
    return { policy: enforced, rendered, gates: await runGates(rendered, enforced) };
  }
  // The tests prove the policy as it will be enforced; the file written beside the shadow policy
  // says which of its rules would have fired (shadow rules are listed only in Decision.shadow).
  const policy = { ...enforced, metadata: { ...enforced.metadata, mode: 'shadow' } } as Policy;
  const gates = await runGates(render(policy, draft.tests, input.text), enforced);
  const rendered = render(policy, draft.tests.flatMap(asShadowTest), input.text);
  if (gates.every((g) => g.ok)) gates.push(await shadowTestsGate(rendered, policy));
  return { policy, rendered, gates };
}

/** A test of the enforced policy, restated for its shadow: matches become shadow hits. */
function asShadowTest(test: TestCase): TestCase[] {
  const { matchedRules, notMatchedRules } = test.expect;
  if (!matchedRules?.length && !notMatchedRules?.length) return [];
  return [{ ...test, expect: { ...(matchedRules?.length ? { shadow: matchedRules } : {}), ...(notMatchedRules?.length ? { notMatchedRules } : {}) } }];
}

function result(done: Finished): GenerateResult {
  const failed = done.gates.find((g) => !g.ok);
  if (failed) return { ok: false, error: { code: 'invalid', message: `${failed.gate} gate: ${failed.message ?? 'failed'}` }, gates: done.gates };
  return {
    ok: true,
    files: { [done.rendered.policyFile]: done.rendered.policyText, [done.rendered.testFile]: done.rendered.testText },
    policies: [done.policy],
    gates: done.gates,
  };
}

// The shipped policies/ through each export: the decisions their own test files expect (spec §9),
// reached by Cedar (cedar-wasm) and CEL (cel-js) from the exported text.
import { readFile } from 'node:fs/promises';
import { Environment } from '@marcbachmann/cel-js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CedarContractError, exportPolicies, toCedarContext } from '../../../src/authoring/export/index';
import { loadPolicySet } from '../../../src/node/policy-set';
import { prepareContext } from '../../../src/testing/enrichment';
import { readTestFile } from '../../../src/testing/read-test-file';
import type { JsonValue } from '../../../src/policy/types';
import { cedarDecision, cedarPolicySet, cedarValidationErrors } from './cedar-support';

interface Case { file: string; name: string; context: Record<string, JsonValue>; decision?: string; warnings?: number | string[] }

async function shippedCases(folder: string): Promise<{ policies: Awaited<ReturnType<typeof loadPolicySet>>['policies']; cases: Case[] }> {
  const set = await loadPolicySet(folder);
  const cases: Case[] = [];
  for (const file of set.testFiles) {
    const read = readTestFile(await readFile(file, 'utf8'), file);
    for (const t of read.tests) {
      const test = t.test;
      if (!test) continue;
      // As `llm-policy test` prepares it: the time fields and enrichment when the test asks.
      const context = prepareContext(test.context as Record<string, JsonValue>, { now: test.now ?? read.defaults.now, enrich: test.enrich ?? read.defaults.enrich ?? false });
      cases.push({ file, name: t.name, context, decision: test.expect.decision, warnings: test.expect.warnings as Case['warnings'] });
    }
  }
  return { policies: set.policies, cases };
}

describe('exports of the shipped policies', async () => {
  const { policies, cases } = await shippedCases('policies');
  const withDecision = cases.filter((c) => c.decision !== undefined);

  it('has test cases to check against', () => {
    expect(withDecision.length).toBeGreaterThan(30);
  });

  it('CEL reaches the decision and warnings every shipped test expects', () => {
    const result = exportPolicies(policies, { format: 'cel' });
    const doc = parse(result.files[0].text) as { decisions: Record<string, { expression: string }>; rules: Array<{ id: string; decision: string; match: string }> };
    const env = new Environment().registerVariable('context', 'map');
    const decide = env.parse(doc.decisions.request.expression);
    const warnRules = doc.rules.filter((r) => r.decision === 'warn').map((r) => ({ id: r.id, test: env.parse(r.match) }));
    for (const c of cases) {
      if (c.decision !== undefined) expect(decide({ context: c.context }), `${c.file}: ${c.name}`).toBe(c.decision);
      const warned = warnRules.filter((r) => r.test({ context: c.context }) === true).map((r) => r.id);
      if (typeof c.warnings === 'number') expect(warned.length, `${c.file}: ${c.name}`).toBe(c.warnings);
      if (Array.isArray(c.warnings)) for (const id of c.warnings) expect(warned.some((w) => w === id || w.endsWith(`/${id}`)), `${c.file}: ${c.name}: ${id}`).toBe(true);
    }
  });

  it('Cedar reaches the decision every shipped test expects, and refuses the contexts outside its contract', () => {
    const result = exportPolicies(policies, { format: 'cedar' });
    expect(result.files.map((f) => f.name)).toEqual(['policies.cedar', 'context.cedarschema']);
    expect(cedarValidationErrors(result.files[0].text, result.files[1].text)).toEqual([]);
    const set = cedarPolicySet(result.files[0].text);
    const refused: string[] = [];
    for (const c of withDecision) {
      let context;
      try {
        context = toCedarContext(c.context, result.types);
      } catch (err) {
        if (!(err instanceof CedarContractError)) throw err;
        refused.push(`${c.name}: ${err.message}`);
        continue;
      }
      expect(cedarDecision(set, 'request', context), `${c.file}: ${c.name}`).toBe(c.decision);
    }
    // Refused, naming the field: the test that sends a string cost on purpose (our engine denies
    // it through deny-invalid-estimate; a Cedar context cannot hold it), and the enriched tests,
    // whose real per-request cost estimate has more places than a Cedar decimal's four.
    expect(refused).toEqual([
      'a cost sent as a string cannot slip past the caps: llm.estimatedCost: expected a Decimal, got a string',
      expect.stringMatching(/^enrichment finds an email in a production prompt, which is denied: llm\.estimatedCost: 0\.000\d+ is not a Cedar decimal/),
      expect.stringMatching(/^enrichment scores a classic injection prompt high enough to deny: llm\.estimatedCost: 0\.000\d+ is not a Cedar decimal/),
      expect.stringMatching(/^enrichment leaves an ordinary prompt alone: llm\.estimatedCost: 0\.000\d+ is not a Cedar decimal/),
    ]);
    expect(withDecision.length - refused.length).toBeGreaterThan(30);
  });

  it('the examples (namespaces, priority tiers, needs_approval, time fields) decide alike in CEL and Cedar', async () => {
    const examples = await shippedCases('policies/examples');
    const decided = examples.cases.filter((c) => c.decision !== undefined);
    expect(decided.length).toBeGreaterThan(15);
    const cel = parse(exportPolicies(examples.policies, { format: 'cel' }).files[0].text) as { decisions: Record<string, { expression: string }> };
    const decide = new Environment().registerVariable('context', 'map').parse(cel.decisions.request.expression);
    const cedarExport = exportPolicies(examples.policies, { format: 'cedar' });
    expect(cedarExport.gaps.filter((g) => g.where.includes(': condition'))).toEqual([]);
    const set = cedarPolicySet(cedarExport.files[0].text);
    const refused: string[] = [];
    for (const c of decided) {
      expect(decide({ context: c.context }), `cel: ${c.file}: ${c.name}`).toBe(c.decision);
      let context;
      try {
        context = toCedarContext(c.context, cedarExport.types);
      } catch (err) {
        if (!(err instanceof CedarContractError)) throw err;
        refused.push(`${c.name}: ${err.message}`);
        continue;
      }
      expect(cedarDecision(set, 'request', context), `cedar: ${c.file}: ${c.name}`).toBe(c.decision);
    }
    expect(refused).toEqual(['an error rate given as a percentage string is not compared: metadata.metrics.errorRate: expected a Decimal, got a string']);
  });

  it('lists what each target leaves out of the shipped set', () => {
    const cedar = exportPolicies(policies, { format: 'cedar' });
    const cel = exportPolicies(policies, { format: 'cel' });
    const rego = exportPolicies(policies, { format: 'rego' });
    for (const result of [cedar, cel, rego]) {
      expect(result.gaps).toContainEqual(expect.objectContaining({ where: 'budgets-and-rate-limits', what: expect.stringMatching(/^budget team-monthly-spend .*counters/) }));
      expect(result.gaps).toContainEqual(expect.objectContaining({ where: 'budgets-and-rate-limits', what: expect.stringMatching(/^rate limit user-rpm /) }));
    }
    expect(cedar.gaps).toContainEqual(expect.objectContaining({ where: 'output-limits/clamp-free-max-tokens', what: expect.stringMatching(/^modify rules are not exported/) }));
    expect(cedar.gaps).toContainEqual(expect.objectContaining({ where: 'prompt-injection/warn-possible-injection', what: expect.stringMatching(/^warn rules are not exported/) }));
    expect(cel.gaps).toContainEqual({ where: 'output-limits/clamp-free-max-tokens', what: expect.stringMatching(/obligations/), carried: true });
    // Every rule of the set is written in CEL and Rego; Cedar writes the authoritative ones.
    const authoritative = policies.flatMap((p) => p.rules.filter((r) => ['allow', 'deny', 'needs_approval'].includes(r.action.decision)).map((r) => `${p.metadata.id}/${r.id}`));
    expect([...cedar.exported].sort()).toEqual([...authoritative].sort());
    expect(cel.exported.length).toBe(policies.reduce((n, p) => n + p.rules.length, 0));
    expect(rego.exported).toEqual(cel.exported);
  });
});

// The shipped policies/ through each export: the decisions their own test files expect (spec §9),
// reached by Cedar (cedar-wasm) and CEL (cel-js) from the exported text.
import { readFile } from 'node:fs/promises';
import { Environment } from '@marcbachmann/cel-js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CedarContractError, exportPolicies, toCedarContext } from '../../../src/authoring/export/index';
import type { CedarExport } from '../../../src/authoring/export/cedar';
import { loadPolicySet } from '../../../src/node/policy-set';
import { readTestFile } from '../../../src/testing/read-test-file';
import type { JsonValue } from '../../../src/policy/types';
import { cedarDecision, cedarPolicySet } from './cedar-support';

interface Case { file: string; name: string; context: Record<string, JsonValue>; decision?: string; warnings?: number | string[] }

async function shippedCases(): Promise<{ policies: Awaited<ReturnType<typeof loadPolicySet>>['policies']; cases: Case[] }> {
  const set = await loadPolicySet('policies');
  const cases: Case[] = [];
  for (const file of set.testFiles) {
    const read = readTestFile(await readFile(file, 'utf8'), file);
    if (read.defaults.now !== undefined || read.defaults.enrich) continue;
    for (const t of read.tests) {
      const test = t.test;
      if (!test || test.now !== undefined || test.enrich) continue;
      cases.push({ file, name: t.name, context: test.context as Record<string, JsonValue>, decision: test.expect.decision, warnings: test.expect.warnings as Case['warnings'] });
    }
  }
  return { policies: set.policies, cases };
}

describe('exports of the shipped policies', async () => {
  const { policies, cases } = await shippedCases();
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
    const result = exportPolicies(policies, { format: 'cedar' }) as CedarExport;
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
    // The tests that send a value of the wrong type on purpose: our engine decides them (and the
    // shipped policies deny them); a Cedar context cannot hold them, so the converter says so.
    expect(refused).toEqual([
      'a cost sent as a string cannot slip past the caps: llm.estimatedCost: expected a Decimal, got a string',
    ]);
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

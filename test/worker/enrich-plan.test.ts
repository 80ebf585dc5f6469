// The edge enriches only what the serving bundle can observe.
import { describe, expect, it } from 'vitest';
import { compileBundle } from '../../src/engine/index';
import { parsePolicies } from '../../src/policy/parse';
import { enrichmentFor } from '../../src/worker/decision/enrich-plan';

async function planFor(rules: string): Promise<string[]> {
  const yaml = `metadata: { id: p }\nrules:\n${rules}`;
  return enrichmentFor(await compileBundle(parsePolicies(yaml, { filename: 'p.yaml' }), { version: '1.0.0' }));
}

describe('enrichment plan', () => {
  it('is empty when no rule reads an enriched field', async () => {
    expect(await planFor('  - { id: r, condition: { operator: eq, field: team.tier, value: free }, action: { decision: deny, reason: no } }\n')).toEqual([]);
  });

  it('names the kinds conditions read, including nested and valueField paths', async () => {
    const rules = [
      '  - { id: a, condition: { operator: gt, field: llm.estimatedCost, value: 1 }, action: { decision: deny, reason: cost } }',
      '  - { id: b, condition: { operator: contains, field: llm.piiTypes, value: email }, action: { decision: deny, reason: pii } }',
      '  - { id: c, condition: { operator: gt, field: metadata.limit, valueField: llm.estimatedTokens }, action: { decision: deny, reason: t } }',
    ].join('\n');
    expect(await planFor(`${rules}\n`)).toEqual(['tokens', 'cost', 'pii']);
  });

  it('counts reason templates and whole-object paths', async () => {
    expect(await planFor('  - { id: r, condition: true, action: { decision: warn, reason: "score {{ llm.injectionScore }}" } }\n')).toEqual(['injection']);
    expect(await planFor('  - { id: r, condition: { operator: exists, field: time }, action: { decision: deny, reason: t } }\n')).toEqual(['time']);
  });
});

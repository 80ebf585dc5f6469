// The pattern <-> policy lifecycle as data: what generate writes is read back as current, a newer
// pattern makes it stale, a deleted one orphans it; prune plans whole files and their tests only.
import { describe, expect, it } from 'vitest';
import { patternSource } from '../../../src/authoring/patterns/provenance';
import { planPrune } from '../../../src/authoring/patterns/prune';
import type { Pattern } from '../../../src/authoring/patterns/read';
import { patternStatus, type LocatedPolicy } from '../../../src/authoring/patterns/status';
import type { JsonValue, Policy } from '../../../src/policy/types';

const PATTERN: Pattern = { id: 'free-models', version: '1.0.0', description: 'free tier teams may not use gpt-4o' };

function policy(id: string, source?: Record<string, JsonValue>): Policy {
  return { metadata: { id, ...(source ? { source } : {}) }, rules: [{ id: 'r', condition: true, action: { decision: 'deny', reason: 'no: ask' } }] };
}

describe('patternStatus', () => {
  it('reads what patternSource writes as current', () => {
    const source = patternSource(PATTERN, { generator: 'rules', generatedAt: '2026-12-01T00:00:00Z' });
    expect(source).toEqual({ kind: 'pattern', id: 'free-models', version: '1.0.0', text: 'free tier teams may not use gpt-4o', generator: 'rules', generatedAt: '2026-12-01T00:00:00Z' });
    const status = patternStatus([{ file: 'p.yaml', pattern: PATTERN }], [{ policy: policy('a', source), file: 'a.yaml' }]);
    expect(status.patterns[0].policies).toEqual([{ policyId: 'a', file: 'a.yaml', state: 'current', generatedFrom: '1.0.0', generatedText: PATTERN.description }]);
    expect(status.counts).toEqual({ patterns: 1, current: 1, stale: 0, orphaned: 0 });
  });

  it('a newer pattern version makes the policy stale; build metadata does not', () => {
    const old = patternSource(PATTERN);
    const newer = { ...PATTERN, version: '1.1.0' };
    expect(patternStatus([{ file: 'p.yaml', pattern: newer }], [{ policy: policy('a', old) }]).patterns[0].policies[0]).toMatchObject({
      state: 'stale', note: 'generated from 1.0.0; the pattern is now 1.1.0',
    });
    const rebuilt = { ...PATTERN, version: '1.0.0+build.7' };
    expect(patternStatus([{ file: 'p.yaml', pattern: rebuilt }], [{ policy: policy('a', old) }]).counts.current).toBe(1);
  });

  it('a policy whose pattern is gone, or whose source names none, is orphaned; other sources are ignored', () => {
    const policies: LocatedPolicy[] = [
      { policy: policy('gone', patternSource({ ...PATTERN, id: 'deleted' })), file: 'gone.yaml' },
      { policy: policy('no-id', { kind: 'pattern', version: '1.0.0' }), file: 'no-id.yaml' },
      { policy: policy('english', { kind: 'english', text: 'limit each team to $50 per day' }) },
      { policy: policy('by-hand') },
    ];
    const status = patternStatus([{ file: 'p.yaml', pattern: PATTERN }], policies);
    expect(status.orphaned).toEqual([
      { policyId: 'gone', file: 'gone.yaml', patternId: 'deleted', generatedFrom: '1.0.0' },
      { policyId: 'no-id', file: 'no-id.yaml', patternId: undefined, generatedFrom: '1.0.0' },
    ]);
    expect(status.patterns[0].policies).toEqual([]);
  });
});

describe('planPrune', () => {
  it('removes a file of orphans with the test file beside it, whatever its extension, and no other test file', () => {
    const policies: LocatedPolicy[] = [{ policy: policy('gone', patternSource({ ...PATTERN, id: 'deleted' })), file: 'p/gone.yml' }];
    const status = patternStatus([], policies);
    const plan = planPrune(status, policies, ['p/gone.test.json', 'p/gone-too.test.yaml', 'p/other.test.yaml']);
    expect(plan).toEqual({ remove: ['p/gone.test.json', 'p/gone.yml'], keep: [], unfiled: [] });
  });

  it('keeps a file that also holds another policy', () => {
    const policies: LocatedPolicy[] = [
      { policy: policy('gone', patternSource({ ...PATTERN, id: 'deleted' })), file: 'p/mixed.yaml' },
      { policy: policy('kept'), file: 'p/mixed.yaml' },
    ];
    expect(planPrune(patternStatus([], policies), policies, ['p/mixed.test.yaml'])).toEqual({
      remove: [], keep: [{ file: 'p/mixed.yaml', orphaned: ['gone'], others: ['kept'] }], unfiled: [],
    });
  });
});

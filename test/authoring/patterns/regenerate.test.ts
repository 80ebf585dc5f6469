// A stale pattern's "what regenerating would change": the rules the pattern now generates against
// the policy on disk, provenance aside, and only for patterns that have stale policies.
import { describe, expect, it } from 'vitest';
import { formatPatternStatus } from '../../../src/authoring/patterns/format';
import { patternSource } from '../../../src/authoring/patterns/provenance';
import type { Pattern } from '../../../src/authoring/patterns/read';
import { regenerationDiffs } from '../../../src/authoring/patterns/regenerate';
import { patternStatus, type LocatedPolicy } from '../../../src/authoring/patterns/status';
import type { Policy } from '../../../src/policy/types';

const deny = (id: string, model: string) => ({ id, condition: { operator: 'eq' as const, field: 'llm.model', value: model }, action: { decision: 'deny' as const, reason: `${model}: no` } });
const V1: Pattern = { id: 'free-models', version: '1.0.0', description: 'free tier teams may not use gpt-4o' };
const V2: Pattern = { ...V1, version: '1.1.0', description: 'free tier teams may not use gpt-4o or o3' };
const onDisk: Policy = { metadata: { id: 'pattern-free-models', source: patternSource(V1) }, rules: [deny('deny-gpt-4o', 'gpt-4o')] };
const now: Policy = { metadata: { id: 'pattern-free-models', source: patternSource(V2) }, rules: [deny('deny-gpt-4o', 'gpt-4o'), deny('deny-o3', 'o3')] };

describe('regenerationDiffs', () => {
  const policies: LocatedPolicy[] = [{ policy: onDisk, file: 'policies/pattern-free-models.yaml' }];

  it('compares what the pattern generates now with the stale policy, rules only', async () => {
    const status = patternStatus([{ file: 'patterns/free-models.yaml', pattern: V2 }], policies);
    const diffs = await regenerationDiffs(status, policies, async () => [now]);
    expect(diffs.get('free-models')).toEqual({
      added: [], removed: [], unchanged: [],
      modified: [{ id: 'pattern-free-models', changes: [], rules: { added: ['deny-o3'], removed: [], modified: [], unchanged: ['deny-gpt-4o'], changes: {} } }],
    });
    const text = formatPatternStatus(status, { policiesDir: 'policies', regenerated: diffs });
    expect(text).toContain('  regenerating would change:\n    ~ policy pattern-free-models\n        + rule deny-o3\n    0 added, 0 removed, 1 modified, 0 unchanged\n');
  });

  it('asks only about patterns with stale policies, and shows nothing when the generator cannot', async () => {
    const asked: string[] = [];
    const current = patternStatus([{ file: 'patterns/free-models.yaml', pattern: V1 }], policies);
    expect((await regenerationDiffs(current, policies, async (p) => (asked.push(p.id), [now]))).size).toBe(0);
    expect(asked).toEqual([]);
    const stale = patternStatus([{ file: 'patterns/free-models.yaml', pattern: V2 }], policies);
    const none = await regenerationDiffs(stale, policies, async () => undefined);
    expect(formatPatternStatus(stale, { policiesDir: 'policies', regenerated: none })).not.toContain('regenerating');
  });
});

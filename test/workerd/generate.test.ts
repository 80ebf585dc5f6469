// The generator inside workerd (where POST /v1/policies/generate runs it): the rules backend and
// every gate work without Node, and the policy it makes decides as in Node.
import { describe, expect, it } from 'vitest';
import { generate } from '../../src/authoring/generate/index';
import { compileBundle, loadBundle } from '../../src/engine/index';

describe('generate in workerd', () => {
  it('compiles English through every gate, and the policy denies what the sentence says', async () => {
    const result = await generate({ text: 'free tier teams may not use gpt-4o; limit each team to $50 per day', now: () => new Date('2026-12-02T07:00:00Z') });
    if (!result.ok) throw new Error(result.error.message);
    expect(result.gates.map((g) => g.gate)).toEqual(['schema', 'lint', 'fields', 'tests']);
    expect(result.policies[0].metadata.source).toMatchObject({ kind: 'english', generatedAt: '2026-12-02T07:00:00.000Z' });
    const evaluator = loadBundle(await compileBundle(result.policies, { version: '1.0.0' }));
    expect(evaluator.evaluate({ team: { tier: 'free' }, llm: { model: 'gpt-4o' } }).decision).toBe('deny');
    expect(evaluator.evaluate({ team: { tier: 'pro' }, llm: { model: 'gpt-4o' } }).decision).toBe('allow');
  });

  it('says what it could not place', async () => {
    const result = await generate({ text: 'deny the moon' });
    expect(result).toMatchObject({ ok: false, error: { code: 'not_understood', message: '"deny the moon": could not place "moon"' } });
  });
});

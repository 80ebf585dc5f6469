// Generating in tests: the library entry with a fixed clock, and the decisions a generated
// policy makes on probe contexts.
import { generate, type GenerateRequest } from '../../../src/authoring/generate/index';
import { compileBundle, loadBundle } from '../../../src/engine/index';
import type { Decision, Policy } from '../../../src/policy/types';

export const NOW = new Date('2026-12-02T07:00:00Z');

export async function generated(text: string, extra: Partial<GenerateRequest> = {}) {
  return generate({ text, now: () => NOW, ...extra });
}

export async function decide(policies: Policy[], context: object): Promise<Decision> {
  const bundle = await compileBundle(policies, { version: '1.0.0', createdAt: '2026-01-01T00:00:00Z' });
  return loadBundle(bundle).evaluate(context);
}

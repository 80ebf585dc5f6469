// Runs the conformance table against compileBundle + loadBundle, with and without the rule index.
import { describe, expect, it } from 'vitest';
import { compileBundle, loadBundle } from '../../src/engine/index';
import { conformanceCases } from './conformance-cases';

export function runConformance(runtime: string): void {
  describe(`conformance (${runtime})`, () => {
    for (const testCase of conformanceCases) {
      it(testCase.name, async () => {
        const bundle = await compileBundle(testCase.policies, { version: '1.0.0', defaultDecision: testCase.defaultDecision, createdAt: '2026-11-22T10:00:00Z' });
        for (const index of [true, false]) {
          const decision = loadBundle(bundle, { index }).evaluate(testCase.context);
          const { matched, ...rest } = testCase.expect;
          expect(decision).toMatchObject(rest);
          if (matched) expect(decision.matchedRules.map((m) => `${m.policyId}/${m.ruleId}`)).toEqual(matched);
          if (rest.shadow === undefined) expect(decision).not.toHaveProperty('shadow');
          expect(decision.allowed).toBe(decision.decision === 'allow');
          expect(decision.bundle).toEqual({ version: '1.0.0', hash: bundle.hash });
        }
      });
    }
  });
}

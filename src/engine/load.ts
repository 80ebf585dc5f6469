// loadBundle: a bundle (already verified by the caller, if it came from outside) into an Evaluator.

import { PolicyError } from '../policy/errors';
import type { Bundle, Evaluator, Policy } from '../policy/types';
import { CompiledEvaluator, type StageRules } from './evaluator';
import { CompileFailure } from './failure';
import { compileRule, type CompiledRule } from './rule';
import { buildIndex, scanAll } from './rule-index';

export interface LoadOptions {
  /** Use the rule index (default true). `false` scans every rule: the reference for property tests. */
  index?: boolean;
  /** Name compile errors relative to the caller's own policies (compileBundle maps them to files). */
  onFailure?: (policy: Policy, failure: CompileFailure) => never;
}

export function loadBundle(bundle: Bundle, opts: LoadOptions = {}): Evaluator {
  if (!bundle || typeof bundle !== 'object' || !Array.isArray(bundle.policies)) {
    throw new PolicyError('bundle_error', 'not a bundle: expected an object with a policies list');
  }
  const rules = compileRules(bundle.policies, opts);
  const stage = (name: 'request' | 'response'): StageRules => {
    const list = rules.filter((r) => r.stage === name);
    return { rules: list, candidates: opts.index === false ? scanAll(list) : buildIndex(list) };
  };
  return new CompiledEvaluator(bundle, { request: stage('request'), response: stage('response') });
}

/** Compile every enabled rule of every active policy, in rule order (spec §3). */
export function compileRules(policies: Policy[], opts: LoadOptions = {}): CompiledRule[] {
  const ordered = [...policies].sort((a, b) => compareIds(a.metadata.id, b.metadata.id));
  const rules: CompiledRule[] = [];
  for (const policy of ordered) {
    if ((policy.status ?? 'active') !== 'active') continue;
    policy.rules.forEach((rule, i) => {
      if (rule.enabled === false) return;
      try {
        rules.push(compileRule(policy, rule, i));
      } catch (err) {
        if (!(err instanceof CompileFailure)) throw err;
        if (opts.onFailure) opts.onFailure(policy, err);
        throw new PolicyError('compile_error', err.message, { path: `policies[${policy.metadata.id}].${err.path}` });
      }
    });
  }
  // Array.prototype.sort is stable: equal priorities keep policy order, then rule order.
  rules.sort((a, b) => b.priority - a.priority);
  rules.forEach((r, i) => (r.order = i));
  return rules;
}

/** Code-unit order, as JavaScript compares strings. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

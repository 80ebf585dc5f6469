// loadBundle: a bundle (already verified by the caller, if it came from outside) into an Evaluator.

import { PolicyError } from '../policy/errors';
import type { Bundle, Evaluator, Policy } from '../policy/types';
import { CompiledEvaluator, type StageRules } from './evaluator';
import { CompileFailure } from './failure';
import { withInterning } from './intern';
import { compileRule, type CompiledRule } from './rule';
import { buildIndex, scanAll } from './rule-index';

export interface LoadOptions {
  /** Use the rule index (default true). `false` scans every rule: the reference for property tests. */
  index?: boolean;
  /** Index a field once it guards this many rules (default 3). Tests lower it to exercise the index. */
  minRulesPerIndex?: number;
  /** Name compile errors relative to the caller's own policies (compileBundle maps them to files). */
  onFailure?: (policy: Policy, failure: CompileFailure) => never;
}

export function loadBundle(bundle: Bundle, opts: LoadOptions = {}): Evaluator {
  if (!bundle || typeof bundle !== 'object' || !Array.isArray(bundle.policies)) {
    throw new PolicyError('bundle_error', 'not a bundle: expected an object with a policies list');
  }
  return withInterning(() => {
    const rules = compileRules(bundle.policies, opts);
    const stage = (name: 'request' | 'response'): StageRules => {
      const list = rules.filter((r) => r.stage === name);
      return { rules: list, index: opts.index === false ? scanAll(list) : buildIndex(list, opts.minRulesPerIndex) };
    };
    return new CompiledEvaluator(bundle, { request: stage('request'), response: stage('response') });
  });
}

/** Compile every enabled rule of every active policy, in rule order (spec §3). */
export function compileRules(policies: Policy[], opts: LoadOptions = {}): CompiledRule[] {
  policies.forEach(checkPolicy);
  const ordered = [...policies].sort((a, b) => compareIds(a.metadata.id, b.metadata.id));
  const rules: CompiledRule[] = [];
  for (const policy of ordered) {
    if ((policy.status ?? 'active') !== 'active') continue;
    policy.rules.forEach((rule, i) => {
      checkRule(policy, rule, i);
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

const DECISIONS = new Set(['allow', 'deny', 'warn', 'modify', 'needs_approval']);

// Bundles are validated when compiled; these cheap checks keep a hand-edited or foreign bundle from
// failing with a TypeError deep inside compilation.
function checkPolicy(policy: Policy, index: number): void {
  if (!policy || typeof policy !== 'object' || typeof policy.metadata?.id !== 'string') {
    throw new PolicyError('bundle_error', 'a policy needs metadata.id', { path: `policies[${index}].metadata.id` });
  }
  if (!Array.isArray(policy.rules)) throw new PolicyError('bundle_error', 'rules must be a list', { path: `policies[${policy.metadata.id}].rules` });
}

function checkRule(policy: Policy, rule: Policy['rules'][number], i: number): void {
  const at = `policies[${policy.metadata.id}].rules[${i}]`;
  if (!rule || typeof rule !== 'object' || typeof rule.id !== 'string') throw new PolicyError('bundle_error', 'a rule needs an id', { path: at });
  if (!rule.action || !DECISIONS.has(rule.action.decision)) {
    throw new PolicyError('bundle_error', `action.decision must be one of ${[...DECISIONS].join(', ')}`, { path: `${at}.action.decision` });
  }
  if (rule.condition === undefined) throw new PolicyError('bundle_error', 'a rule needs a condition', { path: `${at}.condition` });
}

/** Code-unit order, as JavaScript compares strings. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// compileBundle: validated policies → the serializable, hashable bundle of spec §8.

import { canonicalCopy } from '../bundle/canonical';
import { computeBundleHash } from '../bundle/hash';
import { isSemver } from '../bundle/semver';
import { PolicyError } from '../policy/errors';
import { formatPath, type PathSegment } from '../policy/paths';
import { wasValidated } from '../policy/parse';
import { validatePolicy } from '../policy/schema';
import { locate, sourceOf } from '../policy/source';
import type { Bundle, Policy } from '../policy/types';
import { withInterning } from './intern';
import { compareIds, compileRules } from './load';

export interface CompileOptions {
  version: string;
  defaultDecision?: 'allow' | 'deny';
  /** ISO 8601; default now (UTC, whole seconds). */
  createdAt?: string;
}

export async function compileBundle(policies: Policy[], opts: CompileOptions): Promise<Bundle> {
  if (!isSemver(opts?.version)) {
    throw new PolicyError('input_error', `bundle version must be semver (like 1.4.0), got ${JSON.stringify(opts?.version)}`);
  }
  const defaultDecision = opts.defaultDecision ?? 'allow';
  if (defaultDecision !== 'allow' && defaultDecision !== 'deny') {
    throw new PolicyError('input_error', `defaultDecision must be allow or deny, got ${JSON.stringify(defaultDecision)}`);
  }
  if (!Array.isArray(policies)) throw new PolicyError('input_error', 'compileBundle needs a list of policies');
  policies.forEach(checkShape);
  checkUniqueIds(policies);

  // Draft and disabled policies count toward id uniqueness but are not part of the decision path.
  const active = policies
    .filter((p) => (p.status ?? 'active') === 'active')
    .sort((a, b) => compareIds(a.metadata.id, b.metadata.id));

  // Compile once now so every error surfaces at build time, located in the author's file.
  withInterning(() => compileRules(active, {
    onFailure(policy, failure) {
      const at = locate(policy, failure.path) ?? sourceOf(policy);
      throw new PolicyError('compile_error', failure.message, {
        file: at?.file, document: at?.document, line: at?.line, column: at?.column,
        path: at?.file ? failure.path : `${policy.metadata.id}: ${failure.path}`,
      });
    },
  }));

  const unsigned: Omit<Bundle, 'hash' | 'signature'> = {
    format: 'llm-policy-bundle/v1',
    version: opts.version,
    createdAt: opts.createdAt ?? new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    defaultDecision,
    // A detached copy (later edits to the caller's objects cannot change a hashed bundle) with keys
    // in canonical order, so verifying it at the edge takes canonicalJson's fast path.
    policies: canonicalCopy(active) as Policy[],
  };
  return { ...unsigned, hash: await computeBundleHash(unsigned) };
}

/** Library callers may hand us objects that never went through parsePolicies: validate them too. */
function checkShape(policy: Policy, index: number): void {
  if (wasValidated(policy)) return;
  const [issue] = validatePolicy(policy);
  if (!issue) return;
  const id = typeof policy?.metadata?.id === 'string' ? policy.metadata.id : `policies[${index}]`;
  const path = formatPath(issue.path as PathSegment[]);
  const at = (policy && typeof policy === 'object' && locate(policy, path)) || undefined;
  throw new PolicyError('schema_error', issue.message, {
    file: at?.file, document: at?.document, line: at?.line, column: at?.column,
    path: at?.file ? path : `${id}: ${path}`,
  });
}

function checkUniqueIds(policies: Policy[]): void {
  const seen = new Map<string, Policy>();
  for (const policy of policies) {
    const id = policy?.metadata?.id;
    const first = seen.get(id);
    if (first) {
      const at = sourceOf(policy);
      const firstAt = sourceOf(first);
      const where = firstAt?.file ? ` (first defined in ${firstAt.file}${firstAt.line ? `:${firstAt.line}` : ''})` : '';
      throw new PolicyError('compile_error', `duplicate policy id "${id}"${where}`, {
        file: at?.file, document: at?.document, line: at?.line, column: at?.column, path: 'metadata.id',
      });
    }
    seen.set(id, policy);
  }
}

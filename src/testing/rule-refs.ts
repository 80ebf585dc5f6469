// Rule references in test expectations: `policyId/ruleId`, or a bare rule id when exactly one
// policy of the bundle has it. Unknown and ambiguous references are errors, never a silent pass.
import { didYouMean } from '../policy/suggest';
import type { Bundle, Policy, Rule } from '../policy/types';

export interface RuleInfo {
  policy: Policy;
  rule: Rule;
}

export type Resolved = { ok: true; id: string } | { ok: false; message: string };

export class RuleCatalog {
  /** `policyId/ruleId` of every rule in the bundle (disabled rules included: they just never match). */
  private readonly rules = new Map<string, RuleInfo>();
  /** Bare rule id -> the full ids that carry it. */
  private readonly byBareId = new Map<string, string[]>();
  /** Policies left out of the bundle (draft, disabled), to explain why their rules are unknown. */
  private readonly inactive = new Map<string, Policy>();

  constructor(bundle: Bundle, allPolicies: readonly Policy[]) {
    for (const policy of bundle.policies) {
      for (const rule of policy.rules) {
        const id = `${policy.metadata.id}/${rule.id}`;
        this.rules.set(id, { policy, rule });
        this.byBareId.set(rule.id, [...(this.byBareId.get(rule.id) ?? []), id]);
      }
    }
    for (const policy of allPolicies) {
      if ((policy.status ?? 'active') !== 'active') this.inactive.set(policy.metadata.id, policy);
    }
  }

  info(id: string): RuleInfo | undefined {
    return this.rules.get(id);
  }

  resolve(ref: string): Resolved {
    const slash = ref.indexOf('/');
    if (slash >= 0) {
      if (this.rules.has(ref)) return { ok: true, id: ref };
      return { ok: false, message: this.unknown(ref, ref.slice(0, slash)) };
    }
    const candidates = this.byBareId.get(ref) ?? [];
    if (candidates.length === 1) return { ok: true, id: candidates[0] };
    if (candidates.length > 1) {
      return { ok: false, message: `rule id "${ref}" is ambiguous: it is in ${candidates.length} policies; write one of ${candidates.join(', ')}` };
    }
    return { ok: false, message: this.unknown(ref, undefined) };
  }

  private unknown(ref: string, policyId: string | undefined): string {
    const inactive = policyId !== undefined
      ? this.inactive.get(policyId)
      : [...this.inactive.values()].find((p) => p.rules.some((r) => r.id === ref));
    if (inactive) {
      return `unknown rule "${ref}": policy ${inactive.metadata.id} is ${inactive.status}, so it is not compiled and its rules never match`;
    }
    const hint = didYouMean(ref, [...this.rules.keys(), ...this.byBareId.keys()]);
    return `unknown rule "${ref}"${hint || ' (not in any active policy of this set)'}`;
  }
}

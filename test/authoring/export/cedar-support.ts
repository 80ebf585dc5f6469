// Running a Cedar export with cedar-wasm and reading its answer back as our decision.
import * as cedar from '@cedar-policy/cedar-wasm/nodejs';
import type { CedarValue } from '../../../src/authoring/export/cedar-context';

export interface CedarPolicySet {
  /** The name cedar-wasm keeps the parsed set under, so each request does not parse it again. */
  preparsed: string;
  decisionOf: Map<string, string>;
}

let sets = 0;

/** The file's policies keyed by their @id annotation, as a host would load them. */
export function cedarPolicySet(text: string): CedarPolicySet {
  const parts = cedar.policySetTextToParts(text);
  if (parts.type !== 'success') throw new Error(`cedar could not parse the export: ${JSON.stringify(parts.errors)}`);
  const policies: Record<string, string> = {};
  const decisionOf = new Map<string, string>();
  for (const policy of parts.policies) {
    const id = /@id\("([^"]+)"\)/.exec(policy)?.[1] as string;
    policies[id] = policy;
    decisionOf.set(id, /@decision\("([^"]+)"\)/.exec(policy)?.[1] as string);
  }
  const preparsed = `export-${sets++}`;
  const parsed = cedar.preparsePolicySet(preparsed, { staticPolicies: policies });
  if (parsed.type !== 'success') throw new Error(`cedar could not load the export: ${JSON.stringify(parsed.errors)}`);
  return { preparsed, decisionOf };
}

/** allow; deny if a determining policy is a deny rule; needs_approval if all are; else default deny. */
export function cedarDecision(set: CedarPolicySet, stage: string, context: Record<string, CedarValue>): string {
  const answer = cedar.statefulIsAuthorized({
    principal: { type: 'User', id: 'u' },
    action: { type: 'Action', id: stage },
    resource: { type: 'Request', id: 'r' },
    context: context as never,
    preparsedPolicySetId: set.preparsed,
    entities: [],
  });
  if (answer.type !== 'success') throw new Error(`cedar failed: ${JSON.stringify(answer.errors)}`);
  const { decision, diagnostics } = answer.response;
  if (diagnostics.errors.length > 0) throw new Error(`cedar policy errors: ${JSON.stringify(diagnostics.errors)}`);
  if (decision === 'allow') return 'allow';
  const decisions = diagnostics.reason.map((id) => set.decisionOf.get(id));
  return decisions.includes('deny') || decisions.length === 0 ? 'deny' : 'needs_approval';
}

/** Strict validation of the policies against the export's own schema: errors, as text. */
export function cedarValidationErrors(policies: string, schema: string): string[] {
  const answer = cedar.validate({ schema, policies: { staticPolicies: policies }, validationSettings: { mode: 'strict' } });
  if (answer.type !== 'success') return answer.errors.map((e) => e.message);
  return answer.validationErrors.map((e) => `${e.policyId}: ${e.error.message}`);
}

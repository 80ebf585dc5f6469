// Publishing as the real tooling does: parse policies, compile, sign, write to (real, local) KV.
import { env } from 'cloudflare:test';
import { signBundle, signPointer, type Pointer } from '../../../src/bundle/index';
import { compileBundle } from '../../../src/engine/index';
import { parsePolicies } from '../../../src/policy/parse';
import type { Bundle } from '../../../src/policy/types';

export const ADMIN = 'test-admin-token';

/** Denies free-tier teams gpt-4o; denies prompts in which enrichment finds personal data. */
export const BASE_POLICIES = `
metadata: { id: model-access }
rules:
  - id: deny-premium-on-free
    condition:
      operator: and
      conditions:
        - { operator: eq, field: team.tier, value: free }
        - { operator: eq, field: llm.model, value: gpt-4o }
    action: { decision: deny, reason: "{{llm.model}} is not available on the free tier" }
---
metadata: { id: data-protection }
rules:
  - id: deny-pii
    condition: { operator: eq, field: llm.containsPII, value: true }
    action: { decision: deny, reason: "prompt contains {{llm.piiTypes}}" }
`;

export async function buildBundle(yaml: string, version: string, privateKey = env.TEST_BUNDLE_PRIVATE_KEY): Promise<Bundle> {
  const bundle = await compileBundle(parsePolicies(yaml, { filename: `policies-${version}.yaml` }), { version });
  return signBundle(bundle, privateKey);
}

export async function putBundle(bundle: Bundle | string, version?: string): Promise<void> {
  const text = typeof bundle === 'string' ? bundle : JSON.stringify(bundle);
  const name = version ?? (bundle as Bundle).version;
  await env.BUNDLES.put(`bundle:${name}`, text);
}

export async function putPointer(p: Partial<Pointer> & { stable: string; sequence: number }, privateKey = env.TEST_BUNDLE_PRIVATE_KEY): Promise<void> {
  const pointer: Pointer = { canaryPercent: 0, updatedAt: new Date().toISOString(), ...p };
  await env.BUNDLES.put('pointer', JSON.stringify(await signPointer(pointer, privateKey)));
}

/** Bundle + pointer naming it as stable. */
export async function publish(yaml: string, version: string, sequence = 1): Promise<Bundle> {
  const bundle = await buildBundle(yaml, version);
  await putBundle(bundle);
  await putPointer({ stable: version, sequence });
  return bundle;
}

// Starting points for a new folder: each a policy file and its tests.
import type { Files } from './studio';

export const TEMPLATES: Record<string, { description: string; files: Files }> = {
  'model-access': {
    description: 'free tier teams may not use premium models',
    files: {
      'model-access.yaml': `metadata:
  id: model-access
  description: Premium models are for paying tiers
rules:
  - id: deny-premium-on-free
    condition:
      operator: and
      conditions:
        - { operator: eq, field: team.tier, value: free }
        - { operator: in, field: llm.model, value: [gpt-4o, o3] }
    action:
      decision: deny
      reason: "{{llm.model}} is not available on the free tier"
`,
      'model-access.test.yaml': `tests:
  - name: free team denied gpt-4o
    context: { team: { tier: free }, llm: { model: gpt-4o } }
    expect: { decision: deny, matchedRules: [model-access/deny-premium-on-free] }
  - name: free team may use gpt-4o-mini
    context: { team: { tier: free }, llm: { model: gpt-4o-mini } }
    expect: { decision: allow }
  - name: pro team may use gpt-4o
    context: { team: { tier: pro }, llm: { model: gpt-4o } }
    expect: { decision: allow }
`,
    },
  },
  'data-protection': {
    description: 'no personal data in prompts outside development',
    files: {
      'data-protection.yaml': `metadata:
  id: data-protection
rules:
  - id: deny-pii-in-production
    condition:
      operator: and
      conditions:
        - { operator: eq, field: llm.containsPII, value: true }
        - { operator: eq, field: project.environment, value: production }
    action:
      decision: deny
      reason: "the prompt contains {{llm.piiTypes}}; remove it or use a dev project"
`,
      'data-protection.test.yaml': `tests:
  - name: email in production is denied
    context: { project: { environment: production }, llm: { containsPII: true, piiTypes: [email] } }
    expect: { decision: deny }
  - name: email in dev is allowed
    context: { project: { environment: dev }, llm: { containsPII: true, piiTypes: [email] } }
    expect: { decision: allow }
`,
    },
  },
};

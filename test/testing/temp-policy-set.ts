// Writes a throwaway policy set folder (policy files and test files) for the runner's tests.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';

const made: string[] = [];

afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A new folder holding `files` (name -> text); removed after the test. */
export function policySet(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'policy-tests-'));
  made.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/** A small policy used by most runner tests: a cost cap, a warning, a clamp and a disabled rule. */
export const COST_POLICY = `
metadata: { id: cost, priority: 10 }
rules:
  - id: deny-free-over-cap
    condition:
      operator: and
      conditions:
        - { operator: eq, field: team.tier, value: free }
        - { operator: gt, field: llm.estimatedCost, value: 1 }
    action: { decision: deny, reason: "Cost {{llm.estimatedCost}} is over the free cap: use a smaller model" }
  - id: warn-big
    condition: { operator: gt, field: llm.maxTokens, value: 1000 }
    action: { decision: warn, reason: "big request" }
  - id: clamp
    condition: { operator: gt, field: llm.maxTokens, value: 2000 }
    action: { decision: modify, obligations: [{ type: set_max_tokens, value: 2000 }] }
  - id: off
    enabled: false
    condition: true
    action: { decision: deny, reason: "never" }
`;

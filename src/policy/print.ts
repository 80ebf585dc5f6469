// Policies back to text that parsePolicies reads as the same policies.
import { stringify } from 'yaml';
import type { Policy } from './types';

/** JSON: one policy as an object, otherwise an array. YAML: one document per policy. */
export function printPolicies(policies: Policy[], format: 'yaml' | 'json'): string {
  if (format === 'json') return `${JSON.stringify(policies.length === 1 ? policies[0] : policies, null, 2)}\n`;
  // No line folding and no anchors: the output stays easy to diff and free of aliases.
  return policies.map((policy) => stringify(policy, { lineWidth: 0, aliasDuplicateObjects: false })).join('---\n');
}

// Policies back to text that parsePolicies reads as the same policies.
import { Document, Scalar, visit } from 'yaml';
import { inAuthorOrder } from './key-order';
import type { Policy } from './types';

/** JSON: one policy as an object, otherwise an array. YAML: one document per policy. Keys in the order people write them. */
export function printPolicies(unordered: Policy[], format: 'yaml' | 'json'): string {
  const policies = unordered.map(inAuthorOrder);
  if (format === 'json') return `${JSON.stringify(policies.length === 1 ? policies[0] : policies, null, 2)}\n`;
  return policies.map(printYamlDocument).join('---\n');
}

/** A line of only spaces or tabs, which yaml 2.9 prints in block scalars in a way that reads back differently. */
const BLANK_LINE_WITH_SPACES = /(?:^|\n)[ \t]+(?:\n|$)/;

function printYamlDocument(policy: Policy): string {
  // No anchors, so the output stays free of aliases; no line folding, so it stays easy to diff.
  const doc = new Document(policy, { aliasDuplicateObjects: false });
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value === 'string' && BLANK_LINE_WITH_SPACES.test(node.value)) node.type = Scalar.QUOTE_DOUBLE;
    },
  });
  return doc.toString({ lineWidth: 0 });
}

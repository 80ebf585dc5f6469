// Spec §10: a path whose first segment is `$` names the current element of an any / all / none.
// Anywhere else (outside a quantifier, in a reason template) it is an error, found here with the
// place it was written so the parse error can point at its line.
import { isPlainObject } from './schema-helpers';
import type { PathSegment } from './paths';

export interface ElementPathProblem {
  /** Where in the rule: `['condition', 'conditions', 0, 'field']`. */
  path: PathSegment[];
  message: string;
}

const QUANTIFIERS = new Set(['any', 'all', 'none']);
const PLACEHOLDER = /\{\{\s*([^{}\s]+)\s*\}\}/g;

export const isElementPath = (path: unknown): boolean => typeof path === 'string' && (path === '$' || path.startsWith('$.'));

export function misplacedElementPaths(rule: Record<string, unknown>): ElementPathProblem[] {
  const problems: ElementPathProblem[] = [];
  walk(rule.condition, ['condition'], false, problems);
  const reason = isPlainObject(rule.action) ? rule.action.reason : undefined;
  if (typeof reason === 'string') {
    for (const match of reason.matchAll(PLACEHOLDER)) {
      if (isElementPath(match[1])) {
        problems.push({ path: ['action', 'reason'], message: `"{{${match[1]}}}": a reason reads the context, not a list element ("$" paths are allowed only in conditions inside any, all or none)` });
      }
    }
  }
  return problems;
}

function walk(node: unknown, at: PathSegment[], inQuantifier: boolean, into: ElementPathProblem[]): void {
  if (!isPlainObject(node)) return;
  for (const key of ['field', 'valueField'] as const) {
    if (!inQuantifier && isElementPath(node[key])) {
      into.push({ path: [...at, key], message: `"${String(node[key])}" refers to a list element: "$" paths are allowed only inside any, all or none` });
    }
  }
  const quantified = typeof node.operator === 'string' && QUANTIFIERS.has(node.operator);
  if (node.condition !== undefined) walk(node.condition, [...at, 'condition'], inQuantifier || quantified, into);
  if (Array.isArray(node.conditions)) node.conditions.forEach((c, i) => walk(c, [...at, 'conditions', i], inQuantifier, into));
}

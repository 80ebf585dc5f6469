// Spec §10 in the editor: which list `$` is an element of at a place in a policy file, read from
// the YAML syntax tree (block and flow style, and while the text is still being typed). A place
// inside the `condition` of an `any` / `all` / `none` is in that quantifier's scope; nested
// quantifiers resolve their own `field` against the element around them (`$.piiTypes` inside a
// quantifier over llm.toolResults is llm.toolResults.0.piiTypes).
import { ensureSyntaxTree, syntaxTree } from '@codemirror/language';
import type { EditorState } from '@codemirror/state';
import { resolveElement } from '../lint/conditions';

type SyntaxNode = ReturnType<ReturnType<typeof syntaxTree>['resolveInner']>;

const QUANTIFIERS = new Set(['any', 'all', 'none']);
const MAPPINGS = new Set(['BlockMapping', 'FlowMapping']);
// A policy file parses in a few milliseconds, but a cold parser on a busy machine has taken
// over 50 ms: with the budget spent, the tree parsed so far is used (and may miss the scope).
const PARSE_BUDGET_MS = 500;

/**
 * The context path of the list whose element `$` is at `pos` (the innermost quantifier), or
 * undefined outside any quantifier's condition, or when a quantifier there has no field yet.
 */
export function elementListAt(state: EditorState, pos: number): string | undefined {
  const tree = ensureSyntaxTree(state, state.doc.length, PARSE_BUDGET_MS) ?? syntaxTree(state);
  const fields: Array<string | undefined> = [];
  for (let node: SyntaxNode | null = tree.resolveInner(pos, -1); node; node = node.parent) {
    if (node.name !== 'Pair' || !node.parent || !MAPPINGS.has(node.parent.name)) continue;
    const key = node.getChild('Key');
    if (!key || pos <= key.to || scalar(state, key) !== 'condition') continue;
    const mapping = node.parent;
    if (!QUANTIFIERS.has(valueOf(state, mapping, 'operator') ?? '')) continue;
    fields.push(valueOf(state, mapping, 'field'));
  }
  if (fields.length === 0) return undefined;
  // Outermost first: each quantifier's field may itself be a `$` path of the one around it.
  let element: string | undefined;
  let list: string | undefined;
  for (const field of fields.reverse()) {
    if (field === undefined || field === '') return undefined;
    list = resolveElement(field, element);
    element = `${list}.0`;
  }
  return list;
}

/** The scalar value of `key` in a mapping node, unquoted. */
function valueOf(state: EditorState, mapping: SyntaxNode, key: string): string | undefined {
  for (let pair = mapping.firstChild; pair; pair = pair.nextSibling) {
    if (pair.name !== 'Pair') continue;
    const k = pair.getChild('Key');
    if (!k || scalar(state, k) !== key) continue;
    const value = pair.lastChild;
    if (!value || value === k || !/Literal$/.test(value.name)) return undefined;
    return scalar(state, value);
  }
  return undefined;
}

function scalar(state: EditorState, node: SyntaxNode): string {
  const text = state.doc.sliceString(node.from, node.to).trim();
  return /^(["']).*\1$/s.test(text) ? text.slice(1, -1) : text;
}

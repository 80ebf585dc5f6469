// What the editor offers where the YAML key asks for a value: context fields (and, inside a
// quantifier's condition, the `$` paths of its element, by what the schema knows of the list's
// items), operators, obligation types, decisions and PII kinds.
import type { Completion, CompletionContext, CompletionResult } from '@codemirror/autocomplete';
import { elementFields } from '../lint/known-fields';
import { elementListAt } from './element-scope';
import { CONTEXT_FIELDS, DECISIONS, OBLIGATIONS, OPERATORS, PII_TYPES } from './vocabulary';

const FIELD = /(?:^|[\s{,])(?:field|valueField):\s*([\w.$]*)$/;

const CHOICES: Array<[RegExp, readonly string[], string]> = [
  [/(?:^|[\s{,])operator:\s*(\w*)$/, OPERATORS, 'operator'],
  [/(?:^|[\s{,])type:\s*(\w*)$/, OBLIGATIONS, 'obligation'],
  [/(?:^|[\s{,])decision:\s*(\w*)$/, DECISIONS, 'decision'],
  [/(?:^|[\s{,[])types:\s*\[?(?:[\w]+,\s*)*(\w*)$/, PII_TYPES, 'PII type'],
];

const keyword = (detail: string) => (label: string): Completion => ({ label, detail, type: 'keyword' });

export function completePolicy(context: CompletionContext): CompletionResult | null {
  const line = context.state.doc.lineAt(context.pos);
  const before = line.text.slice(0, context.pos - line.from);
  const field = FIELD.exec(before);
  if (field) return offer(context, before, field[1], fieldOptions(context), /^[\w.$]*$/);
  for (const [pattern, options, detail] of CHOICES) {
    const match = pattern.exec(before);
    if (match) return offer(context, before, match[1], options.map(keyword(detail)), /^\w*$/);
  }
  return null;
}

function offer(context: CompletionContext, before: string, word: string, options: Completion[], validFor: RegExp): CompletionResult | null {
  if (!word && !context.explicit && !/:\s$/.test(before)) return null;
  return { from: context.pos - word.length, options, validFor };
}

/** Inside a quantifier: its element's paths first (boosted), then the whole context's fields. */
function fieldOptions(context: CompletionContext): Completion[] {
  const fields = CONTEXT_FIELDS.map(keyword('context field'));
  const list = elementListAt(context.state, context.pos);
  if (list === undefined) return fields;
  const element = elementFields(list).map(({ path, type }): Completion => ({
    label: path,
    detail: `${type ?? 'any'} · element of ${list}`,
    type: 'variable',
    boost: 1,
  }));
  return [...element, ...fields];
}

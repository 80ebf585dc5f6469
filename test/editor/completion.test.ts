// The Studio editor's completion source (src/studio/completion.ts) on real policy text, without
// a browser: inside a quantifier's condition, `field:` and `valueField:` offer the `$` paths of
// the list's element by what the schema knows of its items (spec §10), before the context fields.
import { CompletionContext, type CompletionResult } from '@codemirror/autocomplete';
import { yaml } from '@codemirror/lang-yaml';
import { EditorState } from '@codemirror/state';
import { describe, expect, it } from 'vitest';
import { completePolicy } from '../../src/studio/completion';

/** Completion at the ▸ of `marked` (removed), as Ctrl+Space asks for it. */
function completeAt(marked: string): { result: CompletionResult | null; pos: number } {
  const pos = marked.indexOf('▸');
  const state = EditorState.create({ doc: marked.replace('▸', ''), extensions: [yaml()] });
  return { result: completePolicy(new CompletionContext(state, pos, true)), pos };
}

const elementOptions = (result: CompletionResult | null) =>
  (result?.options ?? []).filter((o) => o.label.startsWith('$')).map((o) => [o.label, o.detail]);

const head = `metadata: { id: tools }
rules:
  - id: no-large-transfers
    stage: response
`;

/** An `any` over llm.toolResults whose condition is another `any` (its field follows). */
const nested = `metadata: { id: results }
rules:
  - id: r
    condition:
      operator: any
      field: llm.toolResults
      condition:
        operator: any
`;

describe('completion of $ element paths', () => {
  it('inside any over response.toolCalls (block style), offers the tool call members', () => {
    const { result, pos } = completeAt(`${head}    condition:
      operator: any
      field: response.toolCalls
      condition:
        operator: and
        conditions:
          - { operator: eq, field: $.▸ }
`);
    expect(elementOptions(result)).toEqual([
      ['$', 'object · element of response.toolCalls'],
      ['$.id', 'string · element of response.toolCalls'],
      ['$.name', 'string · element of response.toolCalls'],
      ['$.arguments', 'any · element of response.toolCalls'],
      ['$.argumentsText', 'string · element of response.toolCalls'],
    ]);
    // The typed `$.` is replaced, and the whole context stays on offer behind the element.
    expect(result?.from).toBe(pos - 2);
    expect(result?.options.map((o) => o.label)).toContain('llm.model');
    expect(result?.validFor instanceof RegExp && result.validFor.test('$.argu')).toBe(true);
  });

  it('in flow style on one line, and for valueField too, over llm.toolResults', () => {
    const { result } = completeAt(`metadata: { id: results }
rules:
  - id: r
    condition: { operator: any, field: llm.toolResults, condition: { operator: gt, field: llm.injectionScore, valueField: $.inj▸ } }
    action: { decision: deny, reason: "a tool result tries to steer the model" }
`);
    expect(elementOptions(result).map(([label]) => label)).toEqual(['$', '$.toolCallId', '$.name', '$.text', '$.injectionScore', '$.injectionSignals', '$.containsPII', '$.piiTypes']);
    expect(elementOptions(result)).toContainEqual(['$.injectionScore', 'number · element of llm.toolResults']);
  });

  it('in a nested quantifier, $ is the inner element: a tool result\'s PII kind', () => {
    const { result } = completeAt(`${nested}        field: $.piiTypes
        condition: { operator: eq, field: ▸ }
    action: { decision: deny, reason: "tool results must not carry card numbers" }
`);
    expect(elementOptions(result)).toEqual([['$', 'string · element of llm.toolResults.0.piiTypes']]);
  });

  it('the inner quantifier\'s own field is in the outer element\'s scope', () => {
    const { result } = completeAt(`${nested}        field: $.▸\n`);
    expect(elementOptions(result).map(([label]) => label)).toContain('$.piiTypes');
  });

  it('a list of scalars offers $ with the item type; a list the schema does not know, $ alone', () => {
    const roles = completeAt(`${head}    condition: { operator: all, field: user.roles, condition: { operator: ne, field: ▸ } }\n`);
    expect(elementOptions(roles.result)).toEqual([['$', 'string · element of user.roles']]);
    const own = completeAt(`${head}    condition: { operator: none, field: metadata.items, condition: { operator: eq, field: ▸ } }\n`);
    expect(elementOptions(own.result)).toEqual([['$', 'any · element of metadata.items']]);
  });

  it('offers no $ path outside a quantifier\'s condition', () => {
    // The quantifier's own field, and a plain leaf.
    expect(elementOptions(completeAt(`${head}    condition: { operator: any, field: ▸ }\n`).result)).toEqual([]);
    const plain = completeAt(`${head}    condition: { operator: eq, field: ▸ }\n`).result;
    expect(elementOptions(plain)).toEqual([]);
    expect(plain?.options.map((o) => o.label)).toContain('response.toolCalls');
  });
});

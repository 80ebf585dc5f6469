// The rule builder form: pick a rule of the current file (or a new one), edit field, operator,
// value, decision and reason; every change is written straight into the text, and the form is
// read back from the text, so the two never disagree.
import { useEffect, useState } from 'preact/hooks';
import type { LeafOperator, RuleDecision } from '../../policy/types';
import { blankRule, rulesIn, writeRule, type BuilderCondition, type BuilderRule } from '../rule-builder';
import { CONTEXT_FIELDS, DECISIONS, LEAF_OPERATOR_NAMES } from '../vocabulary';

export function RuleBuilder({ text, onText }: { text: string; onText(text: string): void }) {
  const refs = rulesIn(text);
  const [selected, setSelected] = useState<string>('new');
  const [draft, setDraft] = useState<BuilderRule>(blankRule(refs.length + 1));
  const ref = refs.find((r) => `${r.doc}/${r.index}` === selected) ?? null;
  const fromText = ref && !('unsupported' in ref.rule) ? ref.rule : null;
  const rule = fromText ?? draft;

  // A rule that disappeared from the text (deleted, renamed file) drops the selection.
  useEffect(() => {
    if (selected !== 'new' && !ref) setSelected('new');
  }, [text]);

  const update = (next: BuilderRule) => {
    if (ref) onText(writeRule(text, ref, next));
    else setDraft(next);
  };
  const setCondition = (i: number, patch: Partial<BuilderCondition>) =>
    update({ ...rule, conditions: rule.conditions.map((c, j) => (j === i ? { ...c, ...patch } : c)) });

  const add = () => {
    onText(writeRule(text, null, draft));
    setSelected(`0/${refs.filter((r) => r.doc === 0).length}`);
    setDraft(blankRule(refs.length + 2));
  };

  return (
    <section class="panel builder" aria-label="rule builder">
      <header class="panel-head"><h2>Rule builder</h2></header>
      <label>Rule
        <select value={selected} onChange={(e) => setSelected(e.currentTarget.value)}>
          <option value="new">+ new rule</option>
          {refs.map((r) => <option value={`${r.doc}/${r.index}`}>{r.policyId}/{r.ruleId}</option>)}
        </select>
      </label>
      {ref && 'unsupported' in ref.rule ? (
        <p class="hint">This rule cannot be shown in the form: {ref.rule.unsupported}.</p>
      ) : (
        <form onSubmit={(e) => { e.preventDefault(); if (!ref) add(); }}>
          <label>Id<input value={rule.id} onInput={(e) => update({ ...rule, id: e.currentTarget.value })} /></label>
          {rule.conditions.length > 1 && (
            <label>Match
              <select value={rule.match} onChange={(e) => update({ ...rule, match: e.currentTarget.value as 'all' | 'any' })}>
                <option value="all">all of (and)</option>
                <option value="any">any of (or)</option>
              </select>
            </label>
          )}
          <datalist id="context-fields">{CONTEXT_FIELDS.map((f) => <option value={f} />)}</datalist>
          {rule.conditions.map((c, i) => (
            <fieldset class="condition">
              <legend>Condition {i + 1}</legend>
              <label>Field<input list="context-fields" value={c.field} onInput={(e) => setCondition(i, { field: e.currentTarget.value })} /></label>
              <label>Operator
                <select value={c.operator} onChange={(e) => setCondition(i, { operator: e.currentTarget.value as LeafOperator })}>
                  {LEAF_OPERATOR_NAMES.map((o) => <option value={o}>{o}</option>)}
                </select>
              </label>
              {c.operator !== 'exists' && c.operator !== 'not_exists' && (
                <ValueInput value={c.value} onCommit={(value) => setCondition(i, { value })} />
              )}
              {rule.conditions.length > 1 && <button type="button" class="link" onClick={() => update({ ...rule, conditions: rule.conditions.filter((_, j) => j !== i) })}>remove condition</button>}
            </fieldset>
          ))}
          <button type="button" onClick={() => update({ ...rule, conditions: [...rule.conditions, { field: '', operator: 'eq', value: '' }] })}>+ condition</button>
          <label>Decision
            <select value={rule.decision} onChange={(e) => update({ ...rule, decision: e.currentTarget.value as RuleDecision })}>
              {DECISIONS.map((d) => <option value={d}>{d}</option>)}
            </select>
          </label>
          <label>Reason<input value={rule.reason} onInput={(e) => update({ ...rule, reason: e.currentTarget.value })} placeholder="say why and what to do instead" /></label>
          {!ref && <button type="submit" class="primary">Add rule to file</button>}
        </form>
      )}
    </section>
  );
}

/** A YAML value is written to the text when the author leaves the field or presses Enter, not mid-word. */
function ValueInput({ value, onCommit }: { value: string; onCommit(value: string): void }) {
  const [text, setText] = useState(value);
  useEffect(() => setText(value), [value]);
  return (
    <label>Value
      <input value={text} placeholder="free, 0.8, [gpt-4o, o3]" onInput={(e) => setText(e.currentTarget.value)} onBlur={() => text !== value && onCommit(text)} onKeyDown={(e) => { if (e.key === 'Enter') { e.preventDefault(); onCommit(text); } }} />
    </label>
  );
}

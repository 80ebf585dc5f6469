// Sandbox: one context (a form for the common fields, or JSON), evaluated with explain against
// the edited folder (POST /v1/policies/simulate with explain) or the running bundle
// (POST /v1/evaluate with explain), enriched as the edge enriches it.
import { useEffect, useState } from 'preact/hooks';
import type { Decision } from '../../policy/types';
import { api } from '../api';
import type { Studio } from '../studio';
import { Explained } from '../trace';
import { ErrorLine, Section, useAction } from '../ui';

const START = { llm: { provider: 'openai', model: 'gpt-4o', prompt: 'Summarize our Q3 numbers' }, team: { id: 'team-42', tier: 'free' }, user: { id: 'ana' }, project: { environment: 'production' } };

const FORM_FIELDS: Array<[string, string[]]> = [
  ['model', ['llm', 'model']],
  ['team', ['team', 'id']],
  ['tier', ['team', 'tier']],
  ['environment', ['project', 'environment']],
  ['prompt', ['llm', 'prompt']],
];

function getIn(o: any, path: string[]): string {
  const v = path.reduce((x, k) => (x && typeof x === 'object' ? x[k] : undefined), o);
  return v === undefined ? '' : String(v);
}

function setIn(o: any, path: string[], value: string): any {
  const copy = structuredClone(o ?? {});
  let at = copy;
  for (const k of path.slice(0, -1)) at = at[k] && typeof at[k] === 'object' ? at[k] : (at[k] = {});
  if (value === '') delete at[path[path.length - 1]];
  else at[path[path.length - 1]] = value;
  return copy;
}

export function Sandbox({ studio, consume }: { studio: Studio; consume(): void }) {
  const [json, setJson] = useState(JSON.stringify(START, null, 2));
  const [target, setTarget] = useState<'edited' | 'running'>('edited');
  const [enrich, setEnrich] = useState(true);
  const [decision, setDecision] = useState<Decision | null>(null);
  let context: any = null;
  let jsonError: string | null = null;
  try {
    context = JSON.parse(json);
    if (!context || typeof context !== 'object' || Array.isArray(context)) jsonError = 'the context must be a JSON object';
  } catch (e) {
    jsonError = `not JSON: ${(e as Error).message}`;
  }

  const explain = useAction(async (ctx: object = context) => {
    setDecision(null);
    if (target === 'running') {
      setDecision(await api<Decision>('POST', '/v1/evaluate', { context: ctx, explain: true }));
    } else {
      const report = await api('POST', '/v1/policies/simulate', { files: studio.files, contexts: [ctx], compare: 'none', explain: true, enrich });
      setDecision(report.decisions[0]);
    }
  });

  // A decision record sent here ("replay with explain") is loaded and explained at once.
  useEffect(() => {
    if (!studio.sandboxContext) return;
    const ctx = studio.sandboxContext;
    consume();
    setJson(JSON.stringify(ctx, null, 2));
    void explain.run(ctx);
  }, [studio.sandboxContext]);

  return (
    <Section title="Sandbox">
      <div class="sandbox">
        <form class="stack" onSubmit={(e) => { e.preventDefault(); if (!jsonError) void explain.run(); }} aria-label="context">
          <div class="form-row">
            {FORM_FIELDS.map(([label, path]) => (
              <label>{label}<input value={context ? getIn(context, path) : ''} disabled={!context} onInput={(e) => setJson(JSON.stringify(setIn(context, path, e.currentTarget.value), null, 2))} /></label>
            ))}
          </div>
          <label for="context-json">Context (JSON)</label>
          <textarea id="context-json" rows={12} class="mono" value={json} onInput={(e) => setJson(e.currentTarget.value)} spellcheck={false} />
          {jsonError && <p class="error">{jsonError}</p>}
          <div class="form-row">
            <label>Evaluate against
              <select value={target} onChange={(e) => setTarget(e.currentTarget.value as 'edited' | 'running')}>
                <option value="edited">the edited folder</option>
                <option value="running">the running bundle</option>
              </select>
            </label>
            {target === 'edited' && <label class="inline"><input type="checkbox" checked={enrich} onChange={(e) => setEnrich(e.currentTarget.checked)} /> enrich (tokens, cost, PII, injection, time)</label>}
            <button type="submit" class="primary" disabled={explain.busy || !!jsonError}>{explain.busy ? 'Evaluating…' : 'Explain'}</button>
          </div>
        </form>
        <div>
          <ErrorLine error={explain.error} />
          {decision && <Explained decision={decision} />}
        </div>
      </div>
    </Section>
  );
}

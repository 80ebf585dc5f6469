// Decisions: the decision log (GET /v1/decisions) with its filters, a record's full detail, and
// "replay with explain": its recorded context through the edited folder in the sandbox.
import { useEffect, useState } from 'preact/hooks';
import type { DecisionRecord } from '../../durable/decision-types';
import { api } from '../api';
import type { Studio } from '../studio';
import { Badge, ErrorLine, Section, usd, useAction } from '../ui';

const FILTERS = ['decision', 'team', 'user', 'rule', 'bundleVersion'] as const;

export function Decisions({ studio }: { studio: Studio }) {
  const [filter, setFilter] = useState<Record<string, string>>({ hours: '24', limit: '50' });
  const [records, setRecords] = useState<DecisionRecord[] | null>(null);
  const [selected, setSelected] = useState<DecisionRecord | null>(null);
  const search = useAction(async () => {
    const q = new URLSearchParams();
    q.set('since', new Date(Date.now() - Number(filter.hours) * 3600_000).toISOString());
    q.set('limit', filter.limit);
    for (const f of FILTERS) if (filter[f]?.trim()) q.set(f, filter[f].trim());
    const res = await api('GET', `/v1/decisions?${q}`);
    setRecords(res.records);
    setSelected(null);
  });
  useEffect(() => void search.run(), []);
  const set = (k: string, v: string) => setFilter((f) => ({ ...f, [k]: v }));

  return (
    <Section title="Decision log">
      <form class="form-row" onSubmit={(e) => { e.preventDefault(); void search.run(); }} aria-label="filters">
        <label>last<select value={filter.hours} onChange={(e) => set('hours', e.currentTarget.value)}>{[1, 6, 24, 72, 168].map((h) => <option value={h}>{h} h</option>)}</select></label>
        <label>decision<select value={filter.decision ?? ''} onChange={(e) => set('decision', e.currentTarget.value)}>{['', 'allow', 'deny', 'needs_approval', 'budget_exceeded', 'rate_limited'].map((d) => <option value={d}>{d || 'any'}</option>)}</select></label>
        {(['team', 'user', 'rule', 'bundleVersion'] as const).map((k) => <label>{k}<input value={filter[k] ?? ''} onInput={(e) => set(k, e.currentTarget.value)} size={12} /></label>)}
        <label>limit<input type="number" min={1} max={1000} value={filter.limit} onInput={(e) => set('limit', e.currentTarget.value)} /></label>
        <button type="submit" class="primary" disabled={search.busy}>Search</button>
      </form>
      <ErrorLine error={search.error} />
      {records && (records.length === 0 ? <p class="ok-line">No decisions recorded in that window.</p> : (
        <div class="decisions">
          <table class="table" aria-label="decision records">
            <thead><tr><th>time</th><th>decision</th><th>team</th><th>user</th><th>model</th><th>rules</th><th>bundle</th></tr></thead>
            <tbody>
              {records.map((r) => (
                <tr class={selected?.requestId === r.requestId ? 'selected' : ''}>
                  <td><button class="link" onClick={() => setSelected(r)} aria-label={`details of ${r.requestId}`}>{r.time.replace('T', ' ').slice(0, 19)}</button></td>
                  <td><Badge decision={r.decision} /></td><td>{r.subject.teamId ?? '–'}</td><td>{r.subject.userId ?? '–'}</td>
                  <td>{(r.context as any)?.llm?.model ?? '–'}</td><td>{r.decidingRules.join(', ') || '(default)'}</td><td>{r.bundle?.version ?? '–'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {selected && (
            <article class="panel detail" aria-label="decision detail">
              <header class="panel-head"><h2>{selected.requestId}</h2>
                <div class="panel-actions">
                  <button class="primary" disabled={!selected.context} onClick={() => studio.go('sandbox', { sandbox: selected.context! })}>Replay with explain</button>
                  <button onClick={() => setSelected(null)}>Close</button>
                </div>
              </header>
              <p><Badge decision={selected.decision} /> {selected.reasons.join('; ') || 'no reason (default decision)'}</p>
              <dl class="facts">
                <div><dt>deciding rules</dt><dd>{selected.decidingRules.join(', ') || '–'}</dd></div>
                <div><dt>source</dt><dd>{selected.source}</dd></div>
                <div><dt>est. cost</dt><dd>{usd(selected.estimatedCostUsd)}</dd></div>
                <div><dt>latency</dt><dd>{selected.latencyMs ?? '–'} ms</dd></div>
              </dl>
              {!selected.context && <p class="hint">This record kept no context{selected.contextOmitted ? ` (${selected.contextOmitted})` : ''}, so it cannot be replayed.</p>}
              <pre class="mono json">{JSON.stringify(selected, null, 2)}</pre>
            </article>
          )}
        </div>
      ))}
    </Section>
  );
}

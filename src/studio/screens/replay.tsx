// Replay: the edited folder over recorded decisions (the decision log of the last hours) or a
// synthetic population, against what the running bundle decides: counts by decision as a chart,
// the requests whose decision changes, and the cost the change would have blocked.
import { useState } from 'preact/hooks';
import type { FinalDecision } from '../../policy/types';
import { api } from '../api';
import { viewOfRecorded, viewOfSynthetic, type Counts, type ReplayView } from '../replay-view';
import type { Studio } from '../studio';
import { Badge, ErrorLine, Section, usd, useAction } from '../ui';

const DECISIONS: FinalDecision[] = ['allow', 'deny', 'needs_approval'];
const EXAMPLES = 100;

export function Replay({ studio }: { studio: Studio }) {
  const [source, setSource] = useState<'recorded' | 'synthetic'>('recorded');
  const [hours, setHours] = useState(24);
  const [count, setCount] = useState(1000);
  const [view, setView] = useState<ReplayView | null>(null);
  const run = useAction(async () => {
    setView(null);
    if (source === 'recorded') {
      const until = new Date();
      const since = new Date(until.getTime() - hours * 3600_000);
      setView(viewOfRecorded(await api('POST', '/v1/policies/simulate', { files: studio.files, fromDecisions: { since: since.toISOString(), until: until.toISOString() }, examples: EXAMPLES })));
    } else {
      setView(viewOfSynthetic(await api('POST', '/v1/policies/simulate', { files: studio.files, synthetic: { count, seed: 1 }, compare: 'running', examples: EXAMPLES })));
    }
  });

  return (
    <Section title="Replay">
      <form class="form-row" onSubmit={(e) => { e.preventDefault(); void run.run(); }} aria-label="replay source">
        <label>Over
          <select value={source} onChange={(e) => setSource(e.currentTarget.value as 'recorded' | 'synthetic')}>
            <option value="recorded">recorded decisions</option>
            <option value="synthetic">a synthetic population</option>
          </select>
        </label>
        {source === 'recorded' ? (
          <label>of the last<select value={hours} onChange={(e) => setHours(Number(e.currentTarget.value))}>{[1, 6, 24, 72, 168].map((h) => <option value={h}>{h} hours</option>)}</select></label>
        ) : (
          <label>contexts<input type="number" min={1} max={10000} value={count} onInput={(e) => setCount(Number(e.currentTarget.value))} /></label>
        )}
        <button type="submit" class="primary" disabled={run.busy}>{run.busy ? 'Replaying…' : 'Replay'}</button>
      </form>
      <ErrorLine error={run.error} />
      {view && (
        <div class="replay">
          <p role="status" class="summary">{view.total} requests · {view.changed} would change · blocked cost {usd(view.blockedCostUsd)}{view.before ? ` · compared with ${view.before.label}` : ''}</p>
          {view.notes.map((n) => <p class="hint">{n}</p>)}
          <DecisionChart before={view.before} after={view.after} />
          <h3>Changed requests</h3>
          {view.rows.length === 0 ? <p class="ok-line">No request changes decision.</p> : (
            <table class="table" aria-label="changed requests">
              <thead><tr><th>request</th><th>from → to</th><th>rule</th><th>team</th><th>user</th><th>est. cost</th></tr></thead>
              <tbody>{view.rows.map((r) => <tr title={r.approximate ? `approximate: ${r.approximate.join(', ')}` : undefined}><td>{r.label}</td><td><Badge decision={r.from} /> → <Badge decision={r.to} /></td><td>{r.rule}</td><td>{r.team}</td><td>{r.user}</td><td>{usd(r.cost)}</td></tr>)}</tbody>
            </table>
          )}
          {view.changed > view.rows.length && <p class="hint">Showing the first {EXAMPLES} of each kind of change.</p>}
        </div>
      )}
    </Section>
  );
}

/** Grouped bars: the running bundle's counts beside the edited folder's, per decision. */
function DecisionChart({ before: compared, after }: { before?: { label: string; counts: Counts }; after: Counts }) {
  const before = compared?.counts;
  const max = Math.max(1, ...DECISIONS.flatMap((d) => [after[d], before?.[d] ?? 0]));
  const width = 120;
  const height = 140;
  return (
    <figure class="chart">
      <svg viewBox={`0 0 ${DECISIONS.length * width} ${height + 30}`} role="img" aria-label={`decisions: ${DECISIONS.map((d) => `${d} ${before ? `${before[d]} → ` : ''}${after[d]}`).join(', ')}`}>
        {DECISIONS.map((d, i) => {
          const bars = before ? [['running', before[d]], ['edited', after[d]]] as const : [['edited', after[d]]] as const;
          return (
            <g transform={`translate(${i * width + 15}, 0)`}>
              {bars.map(([side, n], j) => {
                const h = (n / max) * height;
                return (
                  <g>
                    <rect class={`bar bar-${side}`} x={j * 45} y={height - h} width={40} height={h} />
                    <text x={j * 45 + 20} y={height - h - 3} text-anchor="middle" class="bar-value">{n}</text>
                  </g>
                );
              })}
              <text x={bars.length * 22} y={height + 18} text-anchor="middle" class="bar-label">{d}</text>
            </g>
          );
        })}
      </svg>
      <figcaption>{compared && <><span class="key key-running" /> {compared.label} </>}<span class="key key-edited" /> edited folder</figcaption>
    </figure>
  );
}

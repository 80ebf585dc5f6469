// Replay: the edited folder over recorded decisions (the decision log of the last hours) or a
// synthetic population, against what the running bundle decides: counts by decision as a chart,
// the requests whose decision changes, and the cost the change would have blocked.
import { useState } from 'preact/hooks';
import type { FinalDecision } from '../../policy/types';
import type { SimulationReport } from '../../simulate/simulate';
import { api } from '../api';
import type { Studio } from '../studio';
import { Badge, ErrorLine, Section, usd, useAction } from '../ui';

const DECISIONS: FinalDecision[] = ['allow', 'deny', 'needs_approval'];
const EXAMPLES = 100;

interface Changed {
  label: string;
  from: string;
  to: string;
  rule: string;
  team: string;
  user: string;
  cost?: number;
}

/** The changed requests of a report, with what the context says about who and how much. */
function changedRows(report: SimulationReport): Changed[] {
  return (report.changes?.transitions ?? []).flatMap((t) =>
    t.examples.map((x) => {
      const ctx = x.context as any;
      return {
        label: x.label,
        from: t.from,
        to: t.to,
        rule: (x.after.decidingRules[0] ?? x.before.decidingRules[0] ?? '(default)') as string,
        team: ctx?.team?.id ?? '–',
        user: ctx?.user?.id ?? '–',
        cost: typeof ctx?.llm?.estimatedCost === 'number' ? ctx.llm.estimatedCost : typeof ctx?.estimatedCostUsd === 'number' ? ctx.estimatedCostUsd : undefined,
      };
    }),
  );
}

export function Replay({ studio }: { studio: Studio }) {
  const [source, setSource] = useState<'recorded' | 'synthetic'>('recorded');
  const [hours, setHours] = useState(24);
  const [count, setCount] = useState(1000);
  const [report, setReport] = useState<(SimulationReport & { blockedCostUsd?: number }) | null>(null);
  const run = useAction(async () => {
    setReport(null);
    const until = new Date();
    const since = new Date(until.getTime() - hours * 3600_000);
    const input = source === 'recorded' ? { fromDecisions: { since: since.toISOString(), until: until.toISOString() } } : { synthetic: { count, seed: 1 } };
    setReport(await api('POST', '/v1/policies/simulate', { files: studio.files, ...input, compare: 'running', examples: EXAMPLES }));
  });
  const rows = report ? changedRows(report) : [];
  const blocked = report?.blockedCostUsd ?? rows.filter((r) => r.from === 'allow' && r.to !== 'allow').reduce((n, r) => n + (r.cost ?? 0), 0);

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
      {report && (
        <div class="replay">
          <p role="status" class="summary">{report.total} requests · {report.changes?.changed ?? 0} would change · blocked cost {usd(blocked)}{report.compare ? ` · compared with the running bundle ${report.compare.bundle.version}` : ' · nothing running to compare with'}</p>
          <DecisionChart before={report.compare?.decisions} after={report.main.decisions} />
          <h3>Changed requests</h3>
          {rows.length === 0 ? <p class="ok-line">No request changes decision.</p> : (
            <table class="table" aria-label="changed requests">
              <thead><tr><th>request</th><th>from → to</th><th>rule</th><th>team</th><th>user</th><th>est. cost</th></tr></thead>
              <tbody>{rows.map((r) => <tr><td>{r.label}</td><td><Badge decision={r.from} /> → <Badge decision={r.to} /></td><td>{r.rule}</td><td>{r.team}</td><td>{r.user}</td><td>{usd(r.cost)}</td></tr>)}</tbody>
            </table>
          )}
          {(report.changes?.changed ?? 0) > rows.length && <p class="hint">Showing the first {EXAMPLES} of each kind of change.</p>}
        </div>
      )}
    </Section>
  );
}

/** Grouped bars: the running bundle's counts beside the edited folder's, per decision. */
function DecisionChart({ before, after }: { before?: Record<FinalDecision, number>; after: Record<FinalDecision, number> }) {
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
      <figcaption><span class="key key-running" /> running bundle <span class="key key-edited" /> edited folder</figcaption>
    </figure>
  );
}

// Rollout: GET /v1/rollout, refreshed every 5 s: the pointer, the canary's share, the promotion
// and critical gate tables, the kill switch, the history and, where the worker reports them, the
// shadow rules' hit counts.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import { ErrorLine, Section } from '../ui';

const REFRESH_MS = 5000;

function show(value: number | null | undefined, gate: string): string {
  if (value === null || value === undefined) return 'n/a';
  if (/rate/i.test(gate)) return `${(value * 100).toFixed(2)}%`;
  if (/cost/i.test(gate)) return `$${value.toFixed(5)}`;
  return String(value);
}

function GateTable({ title, report }: { title: string; report: any }) {
  if (!report) return null;
  return (
    <table class="table gates" aria-label={title}>
      <caption>{title}: <strong>{report.verdict}</strong></caption>
      <thead><tr><th>gate</th><th>canary</th><th>threshold</th><th>stable</th><th>result</th></tr></thead>
      <tbody>
        {report.rows.map((r: any) => (
          <tr class={r.pass ? 'pass' : r.threshold === null ? '' : 'fail'}>
            <td>{r.gate}</td><td>{show(r.value, r.gate)}</td><td>{r.threshold === null ? 'n/a' : `${r.comparison} ${show(r.threshold, r.gate)}`}</td><td>{show(r.stable, r.gate)}</td>
            <td>{r.pass ? 'pass' : r.threshold === null ? `n/a (${r.note ?? 'no baseline'})` : 'FAIL'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function Rollout() {
  const [view, setView] = useState<any>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    const load = () => api('GET', '/v1/rollout').then((v) => { if (live) { setView(v); setError(null); } }, (e) => live && setError(e.message));
    void load();
    const timer = setInterval(load, REFRESH_MS);
    return () => { live = false; clearInterval(timer); };
  }, []);
  const shadow: any[] = view?.shadow?.rules ?? view?.shadowRules ?? view?.shadow ?? [];

  return (
    <Section title="Rollout">
      <ErrorLine error={error} />
      {view && (
        <>
          <dl class="facts" aria-label="pointer">
            <div><dt>stable</dt><dd>{view.stable ?? '–'}</dd></div>
            <div><dt>canary</dt><dd>{view.canary ?? 'none'}</dd></div>
            <div><dt>canary share</dt><dd>{view.canary ? `${view.percent}%` : '–'}</dd></div>
            <div><dt>sequence</dt><dd>{view.sequence ?? '–'}</dd></div>
            <div><dt>updated</dt><dd>{view.updatedAt ?? '–'}</dd></div>
            <div><dt>kill switch</dt><dd>{view.killSwitch?.state === 'active' ? 'STOPPED the canary' : view.killSwitch?.state === 'ignored' ? `ignored (${view.killSwitch.why})` : 'off'}</dd></div>
          </dl>
          {view.pointerProblem && <p class="error">{view.pointerProblem}</p>}
          {view.canary && <div class="bar-track" aria-label={`canary at ${view.percent}%`}><div class="bar-fill" style={{ width: `${view.percent}%` }} /></div>}
          <GateTable title="promotion gates" report={view.gates} />
          <GateTable title="critical gates (automatic stop)" report={view.critical} />
          {Array.isArray(shadow) && shadow.length > 0 && (
            <table class="table" aria-label="shadow rules">
              <caption>shadow rules: how often each would have fired</caption>
              <thead><tr><th>rule</th><th>would have fired</th><th>on</th></tr></thead>
              <tbody>{shadow.map((s: any) => <tr><td>{s.rule ?? `${s.policyId}/${s.ruleId}`}</td><td>{s.hits ?? s.count}</td><td>{(s.teams ?? s.subjects ?? []).slice?.(0, 5).join(', ')}</td></tr>)}</tbody>
            </table>
          )}
          <h3>History</h3>
          {view.historyProblem && <p class="error">{view.historyProblem}</p>}
          <table class="table" aria-label="rollout history">
            <thead><tr><th>when</th><th>action</th><th>stable</th><th>canary</th><th>by</th><th>reason</th></tr></thead>
            <tbody>
              {view.history.map((h: any) => (
                <tr><td>{h.at}</td><td>{h.action}</td><td>{h.to?.stable ?? ''}</td><td>{h.to?.canary ? `${h.to.canary} @ ${h.to.canaryPercent}%` : h.canary ?? ''}</td><td>{h.actor ?? ''}</td><td>{h.reason ?? ''}</td></tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </Section>
  );
}

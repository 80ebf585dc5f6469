// Budgets: a card per budget and rate limit of the running bundle for one scope value (a team,
// a user ...): used, reserved and remaining against the limit, with the window's reset time
// (GET /v1/budgets/:budgetId/:scopeValue).
import { useEffect, useState } from 'preact/hooks';
import { parseAllDocuments } from 'yaml';
import { api } from '../api';
import type { Studio } from '../studio';
import { ErrorLine, Section, useAction } from '../ui';

interface Limit { id: string; kind: 'budget' | 'rateLimit'; scope: string; policyId: string }

function limitsOf(files: Record<string, string>): Limit[] {
  const out: Limit[] = [];
  for (const text of Object.values(files)) {
    for (const doc of parseAllDocuments(text) as any[]) {
      const p = doc.toJS?.() as any;
      for (const b of p?.budgets ?? []) out.push({ id: b.id, kind: 'budget', scope: b.scope, policyId: p.metadata?.id });
      for (const r of p?.rateLimits ?? []) out.push({ id: r.id, kind: 'rateLimit', scope: r.scope, policyId: p.metadata?.id });
    }
  }
  return out;
}

function amount(n: unknown): string {
  if (typeof n !== 'number') return typeof n === 'object' && n ? Object.entries(n).map(([k, v]) => `${k} ${v}`).join(', ') : '–';
  return Number.isInteger(n) ? String(n) : n.toFixed(4);
}

/** The one number a card's bar shows: cost, else tokens, else requests. */
function primary(x: any): number | undefined {
  if (typeof x === 'number') return x;
  return x?.costUsd ?? x?.tokens ?? x?.requests;
}

export function Budgets({ studio }: { studio: Studio }) {
  const [scopeValue, setScopeValue] = useState('dev-team');
  const [states, setStates] = useState<Record<string, any>>({});
  const limits = limitsOf(studio.running?.files ?? {});
  const load = useAction(async () => {
    const running = studio.running ?? (await studio.reloadRunning());
    const next: Record<string, any> = {};
    await Promise.all(limitsOf(running.files).map(async (l) => {
      next[l.id] = await api('GET', `/v1/budgets/${encodeURIComponent(l.id)}/${encodeURIComponent(scopeValue)}`).catch((e) => ({ error: e.message }));
    }));
    setStates(next);
  });
  useEffect(() => void load.run(), []);

  return (
    <Section title="Budgets and rate limits">
      <form class="form-row" onSubmit={(e) => { e.preventDefault(); void load.run(); }}>
        <label>scope value (team, user or project id)<input value={scopeValue} onInput={(e) => setScopeValue(e.currentTarget.value)} /></label>
        <button type="submit" class="primary" disabled={load.busy}>Show</button>
      </form>
      <ErrorLine error={load.error} />
      {limits.length === 0 && <p class="ok-line">The running bundle defines no budgets or rate limits.</p>}
      <div class="cards">
        {limits.map((l) => {
          const s = states[l.id];
          const limit = primary(s?.limit);
          const used = primary(s?.used) ?? 0;
          const reserved = primary(s?.reserved) ?? 0;
          const pct = (n: number) => (limit ? Math.min(100, (n / limit) * 100) : 0);
          return (
            <article class="card" aria-label={`${l.kind} ${l.id}`}>
              <h3>{l.id}</h3>
              <p class="muted">{l.kind === 'budget' ? 'budget' : 'rate limit'} of {l.policyId}, per {l.scope}</p>
              {!s ? <p>…</p> : s.error ? <p class="error">{s.error}</p> : (
                <>
                  <div class="bar-track" role="meter" aria-valuemin={0} aria-valuemax={limit} aria-valuenow={used + reserved} aria-label={`${l.id} used`}>
                    <div class="bar-fill" style={{ width: `${pct(used)}%` }} />
                    <div class="bar-reserved" style={{ width: `${pct(reserved)}%` }} />
                  </div>
                  <dl class="facts">
                    <div><dt>used</dt><dd>{amount(s.used)}</dd></div>
                    <div><dt>reserved</dt><dd>{amount(s.reserved)}</dd></div>
                    <div><dt>remaining</dt><dd>{amount(s.remaining)}</dd></div>
                    <div><dt>limit</dt><dd>{amount(s.limit)}</dd></div>
                    <div><dt>resets</dt><dd>{s.window?.resetAt ?? '–'}</dd></div>
                  </dl>
                </>
              )}
            </article>
          );
        })}
      </div>
    </Section>
  );
}

// Diff: the edited folder against the running bundle (POST /v1/policies/diff): added, removed and
// modified policies and rules, and each changed policy side by side, both sides printed alike.
import { useEffect, useState } from 'preact/hooks';
import type { PolicyDiff } from '../../bundle/diff';
import { api } from '../api';
import { SideBySide } from '../merge';
import type { Files, Studio } from '../studio';
import { ErrorLine, Section, useAction } from '../ui';

interface DiffResult {
  diff: PolicyDiff;
  before: { source: string; version: string | null; files: Files };
  after: { files: Files };
}

export function DiffScreen({ studio }: { studio: Studio }) {
  const [result, setResult] = useState<DiffResult | null>(null);
  const run = useAction(async () => setResult(await api<DiffResult>('POST', '/v1/policies/diff', { files: studio.files })));
  useEffect(() => void run.run(), []);
  const d = result?.diff;
  const changed = d ? [...d.added, ...d.removed, ...d.modified.map((m) => m.id)].sort() : [];

  return (
    <Section title="Diff against the running bundle" actions={<button onClick={() => run.run()} disabled={run.busy}>Refresh</button>}>
      <ErrorLine error={run.error} />
      {result && d && (
        <>
          <p role="status" class="summary">running {result.before.version ?? '(nothing published)'} → edited folder: {d.added.length} added, {d.removed.length} removed, {d.modified.length} modified, {d.unchanged.length} unchanged policies</p>
          <ul class="diff-list" aria-label="changes">
            {d.added.map((id) => <li class="added">+ policy {id}</li>)}
            {d.removed.map((id) => <li class="removed">− policy {id}</li>)}
            {d.modified.map((m) => (
              <li class="modified">~ policy {m.id}
                <ul>
                  {m.changes.map((c) => <li>{c}</li>)}
                  {m.rules.added.map((r) => <li class="added">+ rule {r}</li>)}
                  {m.rules.removed.map((r) => <li class="removed">− rule {r}</li>)}
                  {m.rules.modified.map((r) => <li class="modified">~ rule {r}</li>)}
                </ul>
              </li>
            ))}
          </ul>
          {changed.map((id) => (
            <div class="generated">
              <h3>{id}</h3>
              <SideBySide before={result.before.files[`${id}.yaml`] ?? ''} after={result.after.files[`${id}.yaml`] ?? ''} labels={[`running ${result.before.version ?? ''}`, 'edited']} />
            </div>
          ))}
        </>
      )}
    </Section>
  );
}

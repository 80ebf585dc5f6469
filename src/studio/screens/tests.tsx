// Tests: run the folder's *.test.yaml files on the worker (POST /v1/policies/test); each failure
// shows the expectation that did not hold and opens its line in the editor.
import { useState } from 'preact/hooks';
import type { TestRunResult } from '../../testing/types';
import { api } from '../api';
import type { Studio } from '../studio';
import { ErrorLine, Section, useAction } from '../ui';

export function Tests({ studio }: { studio: Studio }) {
  const [result, setResult] = useState<TestRunResult | null>(null);
  const [showPassing, setShowPassing] = useState(true);
  const run = useAction(async () => setResult(await api<TestRunResult>('POST', '/v1/policies/test', { files: studio.files })));
  const testFiles = Object.keys(studio.files).filter((f) => /\.test\.(ya?ml|json)$/i.test(f));

  return (
    <Section title="Tests" actions={<button class="primary" onClick={() => run.run()} disabled={run.busy}>{run.busy ? 'Running…' : 'Run tests'}</button>}>
      <p class="hint">{testFiles.length === 0 ? 'No *.test.yaml files in the folder: add one in the editor.' : `${testFiles.length} test file${testFiles.length > 1 ? 's' : ''}: ${testFiles.join(', ')}`}</p>
      <ErrorLine error={run.error} />
      {result && (
        <>
          <p class={result.failed > 0 ? 'summary summary-fail' : 'summary summary-ok'} role="status">{result.passed} passed, {result.failed} failed</p>
          <label class="inline"><input type="checkbox" checked={showPassing} onChange={(e) => setShowPassing(e.currentTarget.checked)} /> show passing tests</label>
          <table class="table" aria-label="test results">
            <thead><tr><th>result</th><th>test</th><th>where</th><th>why</th></tr></thead>
            <tbody>
              {result.results.filter((r) => showPassing || !r.ok).map((r) => (
                <tr class={r.ok ? 'pass' : 'fail'}>
                  <td>{r.ok ? '✓ passed' : '✗ failed'}</td>
                  <td>{r.name}</td>
                  <td>{studio.files[r.file] !== undefined && r.line ? <button class="link" onClick={() => studio.go('editor', { jump: { file: r.file, line: r.line! } })}>{r.file}:{r.line}</button> : `${r.file}${r.line ? `:${r.line}` : ''}`}</td>
                  <td>{r.message ?? (r.matchedRules?.length ? `matched ${r.matchedRules.join(', ')}` : '')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </Section>
  );
}

// Generate: plain English to a policy and its tests (POST /v1/policies/generate), shown as a diff
// against the edited folder, accepted into it with one click. The worker's validation gates
// (schema, lint, field check, the generated tests, and those tests beside the edited folder,
// which is sent along) are listed whatever the outcome.
import { useState } from 'preact/hooks';
import { api } from '../api';
import { SideBySide } from '../merge';
import { policyFiles, type Files, type Studio } from '../studio';
import { ErrorLine, Section, useAction } from '../ui';

interface Gate { gate: string; ok: boolean; message?: string }
type Result = { ok: true; files: Files; gates: Gate[] } | { ok: false; error: { code: string; message: string }; gates: Gate[] };

const EXAMPLES = ['free tier teams may not use gpt-4o or o3', 'limit each team to $50 per day', 'block prompts with PII in production unless the user has the role pii-approved'];

export function Generate({ studio }: { studio: Studio }) {
  const [text, setText] = useState('');
  const [shadow, setShadow] = useState(false);
  const [result, setResult] = useState<Result | null>(null);
  const generate = useAction(async () => {
    setResult(null);
    // The edited folder goes along, so the worker checks the policy beside it (as `generate --out`).
    setResult(await api<Result>('POST', '/v1/policies/generate', { text, files: studio.files, ...(shadow ? { shadow: true } : {}) }));
  });
  const accept = () => {
    if (!result?.ok) return;
    // Open the policy, not its tests.
    studio.setFiles({ ...studio.files, ...result.files }, policyFiles(result.files)[0]);
    setResult(null);
    studio.go('editor');
  };

  return (
    <Section title="Generate from plain English">
      <form class="stack" onSubmit={(e) => { e.preventDefault(); void generate.run(); }}>
        <label for="generate-text">Describe the policy</label>
        <textarea id="generate-text" rows={3} value={text} onInput={(e) => setText(e.currentTarget.value)} placeholder={EXAMPLES[0]} />
        <p class="hint">For example: {EXAMPLES.map((x, i) => <>{i > 0 && ' · '}<button type="button" class="link" onClick={() => setText(x)}>{x}</button></>)}</p>
        <label class="inline"><input type="checkbox" checked={shadow} onChange={(e) => setShadow(e.currentTarget.checked)} /> write it in shadow mode (records what it would do, changes nothing)</label>
        <div><button type="submit" class="primary" disabled={generate.busy || !text.trim()}>{generate.busy ? 'Generating…' : 'Generate'}</button></div>
      </form>
      <ErrorLine error={generate.error} />
      {result && (
        <>
          {!result.ok && <p class="error" role="alert">{result.error.code}: {result.error.message}</p>}
          {result.gates.length > 0 && (
            <table class="table gates" aria-label="validation gates">
              <thead><tr><th>gate</th><th>result</th><th>detail</th></tr></thead>
              <tbody>{result.gates.map((g) => <tr class={g.ok ? '' : 'fail'}><td>{g.gate}</td><td>{g.ok ? 'pass' : 'FAIL'}</td><td>{g.message ?? ''}</td></tr>)}</tbody>
            </table>
          )}
          {result.ok && (
            <>
              <div class="toolbar"><button class="primary" onClick={accept}>Accept into the editor</button><button onClick={() => setResult(null)}>Discard</button></div>
              {Object.keys(result.files).sort().map((name) => (
                <div class="generated" aria-label={`generated ${name}`}>
                  <h3>{name} {studio.files[name] === undefined ? '(new file)' : '(replaces the edited file)'}</h3>
                  <SideBySide before={studio.files[name] ?? ''} after={result.files[name]} labels={[studio.files[name] === undefined ? 'nothing yet' : 'edited', 'generated']} />
                </div>
              ))}
            </>
          )}
        </>
      )}
    </Section>
  );
}

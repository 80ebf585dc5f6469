// The editor: the policy folder as tabs, CodeMirror with inline lint, the findings of the whole
// set, and the rule builder beside it. Files come from the running bundle, a template, or disk
// (drag and drop, or the file picker).
import { useRef, useState } from 'preact/hooks';
import type { LintFinding } from '../../lint/finding';
import { api, messageOf } from '../api';
import { PolicyEditor } from '../editor';
import { RuleBuilder } from './rule-builder';
import type { Files, Studio } from '../studio';
import { TEMPLATES } from '../templates';
import { ErrorLine, useAction } from '../ui';

const NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*\.(ya?ml|json)$/;

export function EditorScreen({ studio, jump }: { studio: Studio; jump?: { line: number; seq: number } }) {
  const [findings, setFindings] = useState<LintFinding[]>([]);
  const [lintError, setLintError] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const { files, current } = studio;
  const names = Object.keys(files).sort();

  // Only the newest lint may fill the panel: an older answer arriving late would show stale findings.
  const lintSeq = useRef(0);
  const lint = async (text: string): Promise<LintFinding[]> => {
    const seq = ++lintSeq.current;
    try {
      const res = await api('POST', '/v1/policies/lint', { files: { ...files, [current]: text } });
      if (seq !== lintSeq.current) return [];
      setFindings(res.findings);
      setLintError(null);
      return (res.findings as LintFinding[]).filter((f) => f.file === current);
    } catch (e) {
      if (seq === lintSeq.current) setLintError(`lint: ${messageOf(e)}`);
      return [];
    }
  };

  const load = useAction(async () => {
    const running = await studio.reloadRunning();
    if (Object.keys(running.files).length === 0) throw new Error('the worker runs no bundle yet; start from a template');
    studio.setFiles(running.files);
  });

  const importFiles = async (list: FileList | null) => {
    if (!list) return;
    const added: Files = {};
    for (const file of Array.from(list)) if (NAME.test(file.name)) added[file.name] = await file.text();
    if (Object.keys(added).length > 0) studio.setFiles({ ...files, ...added }, Object.keys(added)[0]);
  };

  const newFile = () => {
    const name = prompt('File name (e.g. cost-limits.yaml or cost-limits.test.yaml)')?.trim();
    if (!name) return;
    if (!NAME.test(name)) return alert('a file name is a plain name ending in .yaml, .yml or .json');
    studio.setFiles({ ...files, [name]: files[name] ?? `metadata:\n  id: ${name.replace(/\..*$/, '')}\nrules: []\n` }, name);
  };

  const removeFile = (name: string) => {
    if (!confirm(`Remove ${name} from the edited folder?`)) return;
    const { [name]: _gone, ...rest } = files;
    studio.setFiles(rest);
  };

  const counts = { error: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.severity]++;

  return (
    <div
      class={dragging ? 'editor-screen dragging' : 'editor-screen'}
      onDragOver={(e) => { e.preventDefault(); setDragging(true); }}
      onDragLeave={() => setDragging(false)}
      onDrop={(e) => { e.preventDefault(); setDragging(false); void importFiles(e.dataTransfer?.files ?? null); }}
    >
      <div class="toolbar" role="toolbar" aria-label="folder">
        <button onClick={() => load.run()} disabled={load.busy}>Load running bundle</button>
        <label class="button">Open files…<input type="file" multiple accept=".yaml,.yml,.json" class="visually-hidden" onChange={(e) => importFiles(e.currentTarget.files)} /></label>
        <select aria-label="start from a template" value="" onChange={(e) => { const t = TEMPLATES[e.currentTarget.value]; if (t) studio.setFiles({ ...files, ...t.files }, Object.keys(t.files)[0]); }}>
          <option value="">Add a template…</option>
          {Object.entries(TEMPLATES).map(([id, t]) => <option value={id}>{id}: {t.description}</option>)}
        </select>
        <button onClick={newFile}>New file</button>
        <span class="hint">or drop .yaml files here</span>
      </div>
      <ErrorLine error={load.error} />
      {names.length === 0 ? (
        <p class="empty">No files yet: load the running bundle or add a template.</p>
      ) : (
        <div class="editor-grid">
          <div class="editor-main">
            <div role="tablist" aria-label="files" class="tabs">
              {names.map((name) => (
                <span class="tab-wrap">
                  <button role="tab" aria-selected={name === current} class="tab" onClick={() => studio.setCurrent(name)}>
                    {name}
                    {findings.some((f) => f.file === name && f.severity === 'error') && <span class="dot" aria-label="has errors" />}
                  </button>
                  <button class="tab-close" aria-label={`remove ${name}`} onClick={() => removeFile(name)}>×</button>
                </span>
              ))}
            </div>
            {files[current] !== undefined && (
              <PolicyEditor file={current} text={files[current]} onChange={(t) => studio.setFile(current, t)} lint={lint} jump={jump} />
            )}
          </div>
          <aside class="editor-side">
            <section class="panel" aria-label="lint findings">
              <header class="panel-head"><h2>Lint</h2><span class="counts">{counts.error} errors · {counts.warning} warnings · {counts.info} info</span></header>
              <ErrorLine error={lintError} />
              {findings.length === 0 && !lintError ? <p class="ok-line">No findings.</p> : (
                <ul class="findings">
                  {findings.map((f) => (
                    <li class={`finding finding-${f.severity}`}>
                      <button class="link" onClick={() => f.file && f.line && studio.go('editor', { jump: { file: f.file, line: f.line } })}>
                        {f.file ?? '(set)'}{f.line ? `:${f.line}${f.column ? `:${f.column}` : ''}` : ''}
                      </button>{' '}
                      <span class="sev">{f.severity}</span> [{f.code}] {f.message}{f.suggestion ? ` (${f.suggestion})` : ''}
                    </li>
                  ))}
                </ul>
              )}
            </section>
            {files[current] !== undefined && !/\.test\./.test(current) && !/\.json$/i.test(current) && (
              <RuleBuilder text={files[current]} onText={(t) => studio.setFile(current, t)} />
            )}
          </aside>
        </div>
      )}
    </div>
  );
}

// Ship: the signing key never leaves the publisher, so the page hands over the files (a zip, or a
// shell snippet that writes the folder) and the exact command that tests, signs and publishes
// them as a 10% canary.
import { zipSync, strToU8 } from 'fflate';
import { useState } from 'preact/hooks';
import type { Studio } from '../studio';
import { Section } from '../ui';

const FOLDER = 'policies';

/** A POSIX shell snippet that recreates the folder exactly (quoted heredocs: no expansion). */
export function folderScript(files: Record<string, string>, folder = FOLDER): string {
  const lines = [`mkdir -p ${folder}`];
  for (const name of Object.keys(files).sort()) {
    let marker = 'LLM_POLICY_EOF';
    while (files[name].includes(marker)) marker += '_';
    lines.push(`cat > ${folder}/${name} <<'${marker}'`, files[name].replace(/\n$/, ''), marker);
  }
  return `${lines.join('\n')}\n`;
}

export function Ship({ studio }: { studio: Studio }) {
  const [copied, setCopied] = useState<string | null>(null);
  const names = Object.keys(studio.files).sort();
  const script = folderScript(studio.files);
  const commands = [`npx llm-policy test ${FOLDER}`, `npx llm-policy publish ${FOLDER} --canary 10`];
  const remote = `npx llm-policy publish ${FOLDER} --target remote --key <your private.key> --canary 10`;

  const download = () => {
    const zip = zipSync(Object.fromEntries(names.map((n) => [`${FOLDER}/${n}`, strToU8(studio.files[n])])));
    const url = URL.createObjectURL(new Blob([zip], { type: 'application/zip' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `${FOLDER}.zip`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  const copy = async (what: string, text: string) => {
    await navigator.clipboard.writeText(text).then(() => setCopied(what), () => setCopied(null));
  };

  return (
    <Section title="Export and publish">
      <p>Publishing signs the bundle with a key that never leaves the publisher, so it happens on your machine or in CI: take the {names.length} files, then run the command.</p>
      <div class="toolbar">
        <button class="primary" onClick={download} disabled={names.length === 0}>Download {FOLDER}.zip</button>
        <button onClick={() => copy('folder', script)} disabled={names.length === 0}>Copy as a shell snippet</button>
        {copied && <span role="status" class="hint">copied the {copied}</span>}
      </div>
      <h3>Then publish as a 10% canary</h3>
      <pre class="command" aria-label="publish command">{commands.join('\n')}</pre>
      <button onClick={() => copy('commands', commands.join('\n'))}>Copy commands</button>
      <p class="hint">Against a deployed worker: <code>{remote}</code>. Watch the rollout screen; <code>npx llm-policy promote</code> moves it on when the gates pass, <code>npx llm-policy rollback</code> stops it.</p>
      <h3>The folder</h3>
      <pre class="command folder" aria-label="folder snippet">{script}</pre>
    </Section>
  );
}

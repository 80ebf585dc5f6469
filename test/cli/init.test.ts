// llm-policy templates and init --template: the listing, files written as the template has them
// (and passing llm-policy test), and a refusal to overwrite that writes nothing.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { templatesRoot } from '../../src/node/templates';
import { REPO, runInProcess, spawnCli, tempDir } from './support';

const TEMPLATES = join(REPO, 'templates');

describe('llm-policy templates', () => {
  it('lists each template with the first paragraph of its README', async () => {
    const r = await runInProcess(['templates']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^startup +Sane defaults for a small team: /m);
    for (const name of ['soc2', 'hipaa', 'gdpr', 'pci-dss', 'eu-ai-act']) expect(r.stdout).toMatch(new RegExp(`^${name} +\\S`, 'm'));
    expect(r.stdout).toMatch(/write one with: llm-policy init --template NAME \[--out DIR\]\n$/);
  });

  it('finds templates/ from the installed layout (dist/cli.js) as from the source', () => {
    expect(templatesRoot(join(REPO, 'dist'))).toBe(TEMPLATES);
    expect(templatesRoot(join(REPO, 'src', 'node'))).toBe(TEMPLATES);
  });
});

describe('llm-policy init', { timeout: 60_000 }, () => {
  it('writes the template policies and tests, byte for byte, and they pass llm-policy test', async () => {
    const t = tempDir();
    const out = t.path('new', 'policies');
    const r = spawnCli(['init', '--template', 'soc2', '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const expected = readdirSync(join(TEMPLATES, 'soc2')).filter((n) => n !== 'README.md').sort();
    expect(readdirSync(out).sort()).toEqual(expected);
    for (const name of expected) expect(readFileSync(join(out, name), 'utf8')).toBe(readFileSync(join(TEMPLATES, 'soc2', name), 'utf8'));
    expect(r.stdout).toContain(`next: llm-policy test ${out}\n`);
    const test = await runInProcess(['test', out]);
    expect(test.stdout).toMatch(/^\d+ passed, 0 failed\n$/m);
    expect(test.code).toBe(0);
  });

  it('refuses to overwrite, in one line, and writes nothing', async () => {
    const t = tempDir();
    const mine = t.write('policies/startup-spend.yaml', '# my own\n');
    const r = await runInProcess(['init', '--template', 'startup', '--out', t.path('policies')]);
    expect(r).toEqual({ code: 1, stdout: '', stderr: `error: ${mine} already exists: nothing written (choose another --out, or move them away)\n` });
    expect(readdirSync(t.path('policies'))).toEqual(['startup-spend.yaml']);
    expect(readFileSync(mine, 'utf8')).toBe('# my own\n');
    writeFileSync(t.path('policies', 'startup-models.yaml'), '# mine too\n');
    expect((await runInProcess(['init', '--template', 'startup', '--out', t.path('policies')])).stderr).toBe(
      `error: ${t.path('policies', 'startup-models.yaml')} and 1 other file already exist: nothing written (choose another --out, or move them away)\n`);
  });

  it('an --out that is a file is one line', async () => {
    const t = tempDir();
    const file = t.write('afile', '');
    expect(await runInProcess(['init', '--template', 'startup', '--out', file])).toEqual({
      code: 1, stdout: '', stderr: `error: ${file}: not a folder (--out names the folder to write the policies to)\n`,
    });
  });

  it('an unknown or missing template is one line', async () => {
    const unknown = await runInProcess(['init', '--template', 'soc3']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^error: unknown template "soc3" \(expected one of .*startup.*\) \(did you mean "soc2"\?\) \(see llm-policy init --help\)\n$/);
    expect((await runInProcess(['init'])).stderr).toBe('error: --template is required (see llm-policy init --help)\n');
  });
});

// The starter policy sets of templates/<name>/ (Node only: `llm-policy templates` and `init`).
// Each template is a policy set (policies and their *.test.yaml) plus a README.md whose first
// paragraph is the one-line summary `templates` lists; init copies everything but the README.
import { existsSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface TemplateInfo {
  name: string;
  summary: string;
  dir: string;
}

/**
 * templates/ of the package: found upwards from this module, which runs as src/node/templates.ts
 * in a checkout and inside dist/cli.js in an installed package (package.json "files" ships it).
 */
export function templatesRoot(from: string = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'templates'))) return join(dir, 'templates');
    if (dirname(dir) === dir) throw new Error(`no templates folder above ${from}`);
  }
}

export async function listTemplates(root: string = templatesRoot()): Promise<TemplateInfo[]> {
  const names = (await readdir(root)).sort();
  const out: TemplateInfo[] = [];
  for (const name of names) {
    const dir = join(root, name);
    if (!(await stat(dir)).isDirectory()) continue;
    out.push({ name, dir, summary: summaryOf(await readFile(join(dir, 'README.md'), 'utf8').catch(() => '')) });
  }
  return out;
}

/** The files init writes: every file of the template but its README, in name order. */
export async function templateFiles(template: TemplateInfo): Promise<string[]> {
  return (await readdir(template.dir)).filter((name) => name !== 'README.md').sort();
}

/** The first paragraph after the heading, on one line. */
function summaryOf(readme: string): string {
  const paragraph = readme.split(/\n\s*\n/).map((p) => p.trim()).find((p) => p !== '' && !p.startsWith('#'));
  return paragraph?.replace(/\s*\n\s*/g, ' ') ?? '';
}

// llm-policy init --template NAME: copies a starter policy set (policies and tests) into a folder,
// refusing to overwrite anything.
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { listTemplates, templateFiles } from '../../node/templates';
import { didYouMean } from '../../policy/suggest';
import { expectPositionals, parseCommandArgs, requireOption } from '../args';
import type { Command } from '../command';
import { CliError, UsageError } from '../errors';
import type { Io } from '../io';
import { count } from '../output';

const OPTIONS = {
  template: { type: 'string', short: 't' },
  out: { type: 'string', short: 'o' },
} as const;

export const initCommand: Command = {
  name: 'init',
  help: `Usage: llm-policy init --template NAME [--out DIR]

Writes the starter policy set NAME (see llm-policy templates) into DIR (default: policies),
each policy with its *.test.yaml, ready for llm-policy test DIR. DIR is created if needed.
If any of the files already exists, nothing is written. Exit 0 written, 1 otherwise.

Options:
  -t, --template NAME   the template to write (required)
  -o, --out DIR         the folder to write to (default: policies)
  -h, --help            show this help
`,
  run,
};

async function run(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs('init', argv, OPTIONS);
  expectPositionals('init', positionals, 0, 0, '');
  const name = requireOption('init', values.template, '--template');
  const out = values.out ?? 'policies';
  const templates = await listTemplates();
  const template = templates.find((t) => t.name === name);
  if (!template) {
    const names = templates.map((t) => t.name);
    throw new UsageError(`unknown template ${JSON.stringify(name)} (expected one of ${names.join(', ')})${didYouMean(name, names)}`, 'init');
  }
  if ((await stat(out).catch(() => undefined))?.isDirectory() === false) throw new CliError(`${out}: not a folder (--out names the folder to write the policies to)`);
  const files = await templateFiles(template);
  const existing = [];
  for (const file of files) if (await stat(join(out, file)).catch(() => undefined)) existing.push(join(out, file));
  if (existing.length > 0) {
    const more = existing.length > 1 ? ` and ${count(existing.length - 1, 'other file')}` : '';
    throw new CliError(`${existing[0]}${more} already exist${existing.length > 1 ? '' : 's'}: nothing written (choose another --out, or move them away)`);
  }
  await mkdir(out, { recursive: true });
  // 'wx' fails rather than overwrite a file created since the check.
  for (const file of files) await writeFile(join(out, file), await readFile(join(template.dir, file)), { flag: 'wx' });
  io.out(`wrote ${count(files.length, 'file')} of template ${name} to ${out}:\n${files.map((f) => `  ${f}\n`).join('')}next: llm-policy test ${out}\n`);
  return 0;
}

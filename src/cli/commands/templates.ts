// llm-policy templates: the starter policy sets `init --template NAME` writes.
import { listTemplates } from '../../node/templates';
import { expectPositionals, parseCommandArgs } from '../args';
import type { Command } from '../command';
import type { Io } from '../io';

export const templatesCommand: Command = {
  name: 'templates',
  help: `Usage: llm-policy templates

Lists the starter policy sets, one per line: name and what it covers. Each is a folder of
policies with their *.test.yaml; every policy names the control it implements (SOC 2, HIPAA,
GDPR, PCI DSS, EU AI Act) in its description and tags. Write one with
  llm-policy init --template NAME [--out DIR]

Options:
  -h, --help   show this help
`,
  run,
};

async function run(argv: string[], io: Io): Promise<number> {
  const { positionals } = parseCommandArgs('templates', argv, {});
  expectPositionals('templates', positionals, 0, 0, '');
  const templates = await listTemplates();
  const width = Math.max(...templates.map((t) => t.name.length));
  for (const t of templates) io.out(`${t.name.padEnd(width)}  ${t.summary}\n`);
  io.out('\nwrite one with: llm-policy init --template NAME [--out DIR]\n');
  return 0;
}

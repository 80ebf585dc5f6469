// The dispatcher: the command list, --help for every command, --version, unknown commands and flags.
import { describe, expect, it } from 'vitest';
import pkg from '../../package.json';
import { commands } from '../../src/cli/commands/index';
import { runInProcess, spawnCli } from './support';

// The CLI table of interfaces.md: outside scripts call these names.
const DOCUMENTED = ['evaluate', 'compile', 'lint', 'test', 'diff', 'simulate', 'generate', 'keygen', 'sign', 'verify', 'publish', 'promote', 'rollback', 'status', 'patterns', 'templates', 'init', 'export', 'suggest', 'approvals'];

// Spawned runs start tsx: allow for a busy machine (a limit, not a timing assertion).
describe('llm-policy', { timeout: 60_000 }, () => {
  it('lists every documented command in --help, prints its version, and refuses unknown input in one line', () => {
    const help = spawnCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: llm-policy <command>/);
    for (const name of DOCUMENTED) expect(help.stdout).toMatch(new RegExp(`^ {2}${name} +\\S`, 'm'));

    const unknownFlag = spawnCli(['diff', 'a', 'b', '--colour']);
    expect(unknownFlag).toMatchObject({ code: 1, stdout: '', stderr: 'error: unknown option --colour (see llm-policy diff --help)\n' });
  });

  it('has exactly the documented commands', () => {
    expect(commands.map((c) => c.name).sort()).toEqual([...DOCUMENTED].sort());
  });

  it('prints --version from package.json', async () => {
    expect(await runInProcess(['--version'])).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
  });

  it.each(DOCUMENTED)('%s --help shows its usage and exits 0, wherever --help is', async (name) => {
    const r = await runInProcess([name, 'some-arg', '--help']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(new RegExp(`^Usage: llm-policy ${name}\\b`));
    expect(r.stdout).toContain('-h, --help');
    expect(await runInProcess(['help', name])).toEqual(r);
  });

  it('refuses an unknown command and no command at all', async () => {
    expect(await runInProcess(['evalute'])).toEqual({
      code: 1,
      stdout: '',
      stderr: 'error: unknown command evalute (see llm-policy --help)\n',
    });
    const none = await runInProcess([]);
    expect(none.code).toBe(1);
    expect(none.stdout).toMatch(/^Usage: llm-policy/);
  });
});

// publish, promote, rollback and status run src/publish's CLI (tested beside it); here: each checks
// its own flags first, so a flag of another command is a one-line error and nothing is touched.
import { describe, expect, it } from 'vitest';
import { runInProcess } from './support';

describe('rollout commands', () => {
  it('refuse flags that belong to other commands, and missing arguments, in one line', async () => {
    expect(await runInProcess(['status', '--canary', '10'])).toEqual({
      code: 1,
      stdout: '',
      stderr: 'error: unknown option --canary (see llm-policy status --help)\n',
    });
    expect((await runInProcess(['promote', '--version', '1.0.0'])).stderr).toBe('error: unknown option --version (see llm-policy promote --help)\n');
    expect((await runInProcess(['rollback', '--target', 'local'])).stderr).toBe('error: --reason is required (see llm-policy rollback --help)\n');
    expect((await runInProcess(['publish', '--target', 'local'])).stderr).toBe('error: missing the policy folder (see llm-policy publish --help)\n');
    expect((await runInProcess(['publish', 'a', 'b'])).stderr).toBe('error: unexpected argument b (see llm-policy publish --help)\n');
  });

  it('pass a bad --target on to src/publish, which names it', async () => {
    const r = await runInProcess(['status', '--target', 'staging']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('error: --target must be local or remote, got "staging"\n');
  });
});

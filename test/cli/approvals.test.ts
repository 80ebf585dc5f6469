// llm-policy approvals: its command line (the actions run against the real worker in
// test/worker/approvals.test.ts). Bad use is one line naming the problem, before any request.
import { describe, expect, it } from 'vitest';
import { parseApprovalsArgs } from '../../src/cli/commands/approvals';
import { runInProcess } from './support';

describe('llm-policy approvals', () => {
  it('reads the action, the id, the note and where the worker is', () => {
    expect(parseApprovalsArgs(['approve', 'apr_1', '--note', 'ok', '--url', 'https://edge.example.com/', '--admin-token', 't'])).toEqual({
      action: 'approve', id: 'apr_1', note: 'ok', status: undefined, json: undefined, url: 'https://edge.example.com', token: 't',
    });
    // A loopback worker gets the local dev admin token, as promote and status do.
    expect(parseApprovalsArgs(['list', '--url', 'http://127.0.0.1:8787']).token).toBe('dev-admin-token');
  });

  it.each([
    [['approvals'], 'error: missing the action: list, approve or deny (see llm-policy approvals --help)\n'],
    [['approvals', 'grant', 'apr_1'], 'error: unknown action "grant": expected list, approve or deny (see llm-policy approvals --help)\n'],
    [['approvals', 'deny'], 'error: missing the approval id (see llm-policy approvals --help)\n'],
    [['approvals', 'list', '--url', 'https://edge.example.com', '--admin-token', 't', '--colour'], 'error: unknown option --colour (see llm-policy approvals --help)\n'],
  ])('%j is refused in one line', async (argv, stderr) => {
    expect(await runInProcess(argv)).toEqual({ code: 1, stdout: '', stderr });
  });

  it('needs a token for a remote worker', async () => {
    const r = await runInProcess(['approvals', 'list', '--url', 'https://edge.example.com']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: no token for https:\/\/edge\.example\.com: pass --admin-token/);
  });
});

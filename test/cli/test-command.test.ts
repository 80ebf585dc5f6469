// llm-policy test: runs *.test.yaml beside the policies; failures with their message; the last
// line is "N passed, N failed"; exit 1 when anything fails.
import { describe, expect, it } from 'vitest';
import { runInProcess, SEED_POLICY, spawnCli, tempDir } from './support';

const tmp = tempDir();
tmp.write('passing/cost.yaml', SEED_POLICY);
tmp.write('passing/cost.test.yaml', `tests:
  - name: free tier cannot spend over a dollar
    context: { llm: { estimatedCost: 1.5 }, team: { tier: free } }
    expect: { decision: deny, matchedRules: [deny-expensive-models] }
  - name: cheap requests pass
    context: { llm: { estimatedCost: 0.5 }, team: { tier: free } }
    expect: { decision: allow }
`);
tmp.write('failing/cost.yaml', SEED_POLICY);
tmp.write('failing/cost.test.yaml', `tests:
  - name: pro tier is denied too
    context: { llm: { estimatedCost: 1.5 }, team: { tier: pro } }
    expect: { decision: deny }
  - name: cheap requests pass
    context: { llm: { estimatedCost: 0.5 }, team: { tier: free } }
    expect: { decision: allow }
`);

describe('llm-policy test', { timeout: 60_000 }, () => {
  it('prints each failure with its message and ends with the counts; exit 1', () => {
    const r = spawnCli(['test', tmp.path('failing')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^✗ .*\/failing\/cost\.test\.yaml:2: pro tier is denied too\n {4}.*deny.*\n/);
    expect(r.stdout).not.toContain('cheap requests pass');
    expect(r.stdout.endsWith('\n1 passed, 1 failed\n')).toBe(true);
  });

  it('exits 0 when all pass; --verbose lists the passes', async () => {
    const quiet = await runInProcess(['test', tmp.path('passing')]);
    expect(quiet).toEqual({ code: 0, stdout: '2 passed, 0 failed\n', stderr: '' });
    const verbose = await runInProcess(['test', tmp.path('passing'), '--verbose']);
    expect(verbose.stdout).toMatch(/^✓ .*cost\.test\.yaml:2: free tier cannot spend over a dollar\n✓ .*:5: cheap requests pass\n2 passed, 0 failed\n$/);
  });

  it('counts a policy set that does not load as a failure', async () => {
    tmp.write('broken/p.yaml', 'metadata: { id: x }\nrules: 3\n');
    tmp.write('broken/p.test.yaml', 'tests: []\n');
    const r = await runInProcess(['test', tmp.path('broken')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/p\.yaml.*\n.*rules.*\n0 passed, 1 failed\n$/);
  });

  it('warns when there are no test files', async () => {
    const dir = tmp.path('untested');
    tmp.write('untested/cost.yaml', SEED_POLICY);
    expect(await runInProcess(['test', dir])).toEqual({ code: 0, stdout: '0 passed, 0 failed\n', stderr: `warning: ${dir}: no *.test.yaml files\n` });
  });
});

// llm-policy patterns status / prune over temp project folders (patterns/ and policies/).
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io';
import { runCli } from '../../src/cli/run';
import { runInProcess, spawnCli, tempDir } from './support';

/** A policy as generate --from-pattern writes it: metadata.source names the pattern and version. */
function generated(id: string, source: Record<string, string>): string {
  const lines = Object.entries(source).map(([k, v]) => `    ${k}: ${JSON.stringify(v)}`).join('\n');
  return `# generated
metadata:
  id: ${id}
  source:
    kind: pattern
${lines}
rules:
  - id: deny-it
    condition: { operator: eq, field: team.tier, value: free }
    action: { decision: deny, reason: "denied: ask" }
`;
}

const TEST_FILE = 'tests:\n  - { name: free is denied, context: { team: { tier: free } }, expect: { decision: deny } }\n';

/** A project: two patterns, policies current, stale and orphaned, and one written by hand. */
function project() {
  const t = tempDir();
  t.write('patterns/free-models.yaml', 'id: free-models\nversion: 1.1.0\ndescription: free tier teams may not use gpt-4o or o3\n');
  t.write('patterns/no-policies.yaml', 'id: no-policies\nversion: 1.0.0\ndescription: be kind\n');
  t.write('policies/free-models.yaml', generated('free-models', { id: 'free-models', version: '1.1.0', text: 'free tier teams may not use gpt-4o or o3' }));
  t.write('policies/free-models-old.yaml', generated('free-models-old', { id: 'free-models', version: '1.0.0', text: 'free tier teams may not use gpt-4o' }));
  t.write('policies/gone.yaml', generated('gone', { id: 'deleted-pattern', version: '2.0.0' }));
  t.write('policies/gone.test.yaml', TEST_FILE);
  t.write('policies/by-hand.yaml', generated('by-hand', {}).replace(/  source:\n    kind: pattern\n\n/, ''));
  return t;
}

describe('patterns status', () => {
  it('lists each pattern with its policies as current or stale, then the orphans; exit 1 on drift', async () => {
    const t = project();
    const r = await runInProcess(['patterns', 'status', t.dir]);
    const p = (...parts: string[]) => join(t.dir, ...parts);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(`${p('patterns', 'free-models.yaml')}: free-models 1.1.0
  stale    free-models-old  ${p('policies', 'free-models-old.yaml')}
           generated from 1.0.0; the pattern is now 1.1.0
           description: free tier teams may not use gpt-4o {+or o3+}
           regenerate: llm-policy generate --from-pattern ${p('patterns', 'free-models.yaml')} --out ${p('policies')}
  current  free-models  ${p('policies', 'free-models.yaml')}
${p('patterns', 'no-policies.yaml')}: no-policies 1.0.0
  (no generated policies)
orphaned (their pattern is gone; llm-policy patterns prune removes them):
  gone  ${p('policies', 'gone.yaml')}  (pattern deleted-pattern 2.0.0)
2 patterns: 1 current, 1 stale, 1 orphaned
`);
    expect(r.code).toBe(1);
  });

  it('exit 0 when every generated policy is current; policies written by hand are not listed', async () => {
    const t = tempDir();
    t.write('pats/a.yaml', 'id: a\nversion: 2.0.0\ndescription: x\n');
    t.write('out/a.yaml', generated('a-policy', { id: 'a', version: '2.0.0' }));
    t.write('out/mine.yaml', 'metadata: { id: mine }\nrules: [{ id: r, condition: true, action: { decision: allow } }]\n');
    const r = await runInProcess(['patterns', 'status', '--patterns', t.path('pats'), '--policies', t.path('out')]);
    expect(r.stdout).toContain('  current  a-policy');
    expect(r.stdout).not.toContain('mine');
    expect(r.stdout).toMatch(/1 pattern: 1 current, 0 stale, 0 orphaned\n$/);
    expect(r.code).toBe(0);
  });

  it('says why a policy is stale when its version is missing, newer, or its text was not recorded', async () => {
    const t = tempDir();
    t.write('patterns/a.yaml', 'id: a\nversion: 1.0.0\ndescription: x\n');
    t.write('policies/none.yaml', generated('no-version', { id: 'a' }));
    t.write('policies/newer.yaml', generated('newer', { id: 'a', version: '1.2.0', text: 'x' }));
    const r = await runInProcess(['patterns', 'status', t.dir]);
    expect(r.stdout).toContain('           the policy records no pattern version; the pattern is 1.0.0\n           description: (the policy does not record the text it was generated from)');
    expect(r.stdout).toContain("           generated from 1.2.0, newer than the pattern's 1.0.0 (was the pattern rolled back?)\n           description: unchanged");
    expect(r.code).toBe(1);
  });

  it('--format json gives the same facts', async () => {
    const t = project();
    const r = await runInProcess(['patterns', 'status', t.dir, '--format', 'json']);
    const status = JSON.parse(r.stdout);
    expect(status.counts).toEqual({ patterns: 2, current: 1, stale: 1, orphaned: 1 });
    expect(status.patterns[0].policies.map((p: { policyId: string; state: string }) => [p.policyId, p.state])).toEqual([
      ['free-models-old', 'stale'], ['free-models', 'current'],
    ]);
    expect(status.orphaned).toEqual([{ policyId: 'gone', file: t.path('policies', 'gone.yaml'), patternId: 'deleted-pattern', generatedFrom: '2.0.0' }]);
  });

  it('a pattern file that does not read is one located line, not a deleted pattern', async () => {
    const t = project();
    t.write('patterns/broken.yaml', 'id: broken\nversion: 1\ndescription: x\n');
    const r = await runInProcess(['patterns', 'status', t.dir]);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`error: ${t.path('patterns', 'broken.yaml')}:2:10: version: version must be a semver string such as "1.0.0", got 1\n`);
    expect(r.code).toBe(1);
  });

  it('a missing folder or action is one line', async () => {
    const t = tempDir();
    expect(await runInProcess(['patterns', 'status', t.dir])).toEqual({ code: 1, stdout: '', stderr: `error: ${t.path('patterns')}: no such folder: ${t.path('patterns')}\n` });
    expect((await runInProcess(['patterns'])).stderr).toBe('error: missing status or prune (see llm-policy patterns --help)\n');
    expect((await runInProcess(['patterns', 'list'])).stderr).toBe('error: unknown action "list" (expected status or prune) (see llm-policy patterns --help)\n');
    expect((await runInProcess(['patterns', 'status', '--yes'])).stderr).toBe('error: --yes is for patterns prune (see llm-policy patterns --help)\n');
  });
});

describe('patterns prune', { timeout: 60_000 }, () => {
  const names = (dir: string) => readdirSync(dir).sort();

  it('--yes removes the orphaned policy file and the test file beside it, and nothing else', async () => {
    const t = project();
    const r = await runInProcess(['patterns', 'prune', t.dir, '--yes']);
    expect(r.stdout).toBe(`files of orphaned policies, with their tests (their pattern is gone):\n  ${t.path('policies', 'gone.test.yaml')}\n  ${t.path('policies', 'gone.yaml')}\nremoved 2 files\n`);
    expect(r.code).toBe(0);
    expect(names(t.path('policies'))).toEqual(['by-hand.yaml', 'free-models-old.yaml', 'free-models.yaml']);
    expect((await runInProcess(['patterns', 'prune', t.dir, '--yes'])).stdout).toBe('no orphaned policies\n');
  });

  it('without --yes and without a terminal it only shows them (exit 1)', async () => {
    const t = project();
    const r = spawnCli(['patterns', 'prune', t.dir]);
    expect(r.stdout).toContain(`  ${t.path('policies', 'gone.yaml')}\nnothing removed: run again with --yes to remove 2 files (no terminal to ask on)\n`);
    expect(r.code).toBe(1);
    expect(existsSync(t.path('policies', 'gone.yaml'))).toBe(true);
  });

  it('on a terminal it asks, and removes only on yes', async () => {
    const t = project();
    const asked: string[] = [];
    const no = Object.assign(memoryIo(), { confirm: async (q: string) => (asked.push(q), false) });
    expect(await runCli(['patterns', 'prune', t.dir], no)).toBe(1);
    expect(no.stdout).toMatch(/nothing removed\n$/);
    expect(existsSync(t.path('policies', 'gone.yaml'))).toBe(true);
    const yes = Object.assign(memoryIo(), { confirm: async (q: string) => (asked.push(q), true) });
    expect(await runCli(['patterns', 'prune', t.dir], yes)).toBe(0);
    expect(existsSync(t.path('policies', 'gone.yaml'))).toBe(false);
    expect(asked).toEqual(['remove 2 files?', 'remove 2 files?']);
  });

  it('keeps a file that also holds other policies and says so (exit 1)', async () => {
    const t = project();
    writeFileSync(t.path('policies', 'gone.yaml'), `${generated('gone', { id: 'deleted-pattern', version: '2.0.0' })}---\n${generated('other', {}).replace(/  source:\n    kind: pattern\n\n/, '')}`);
    const r = await runInProcess(['patterns', 'prune', t.dir, '--yes']);
    expect(r.stdout).toBe(`keeping ${t.path('policies', 'gone.yaml')}: it also holds other; remove gone from it by hand\n`);
    expect(r.code).toBe(1);
    expect(existsSync(t.path('policies', 'gone.yaml'))).toBe(true);
  });

  it('removes nothing when a pattern file does not read', async () => {
    const t = project();
    t.write('patterns/free-models.yaml', 'id: free-models\nversion: 1.1.0\n');
    const r = await runInProcess(['patterns', 'prune', t.dir, '--yes']);
    expect(r.stderr).toMatch(/free-models\.yaml:1:1: description: missing required key "description"\n$/);
    expect(r.code).toBe(1);
    expect(names(t.path('policies'))).toHaveLength(5);
  });
});

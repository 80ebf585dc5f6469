// llm-policy simulate: fixtures (and their bad lines), seeded synthetic sets, and --compare.
import { describe, expect, it } from 'vitest';
import { escapeRegExp, REPO, runInProcess, SEED_POLICY, spawnCli, tempDir } from './support';

const tmp = tempDir();
const current = tmp.path('current');
const candidate = tmp.path('candidate');
tmp.write('current/cost.yaml', SEED_POLICY);
// The candidate denies free teams from 50 cents, in every namespace.
tmp.write('candidate/cost.yaml', SEED_POLICY.replace('value: 1.0', 'value: 0.5').replace('  namespace: production\n', ''));
const line = (cost: number, tier: string) => JSON.stringify({ llm: { estimatedCost: cost }, team: { tier }, project: { environment: 'production' } });
const fixtures = tmp.write('traffic.jsonl', [line(0.2, 'free'), line(0.7, 'free'), '', line(1.5, 'free'), line(0.7, 'pro'), line(0.8, 'free')].join('\n'));

describe('llm-policy simulate', { timeout: 60_000 }, () => {
  it('reports decisions and rule hits over a fixtures file, and with --compare what changes and why', () => {
    const r = spawnCli(['simulate', candidate, '--fixtures', fixtures, '--compare', current, '--no-enrich']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`5 contexts\nbefore: ${current} (bundle 0.0.0-local, sha256:`);
    expect(r.stdout).toMatch(/^ {2}allow +4 +80\.0% +2 +40\.0%$/m);
    expect(r.stdout).toMatch(/^ {2}deny +1 +20\.0% +3 +60\.0%$/m);
    expect(r.stdout).toMatch(/^ {2}cost-limit-policy\/deny-expensive-models \(deny\) +1 → +3$/m);
    // Blank line 3 is skipped; labels are the file's line numbers.
    expect(r.stdout.endsWith([
      'changed decisions: 2 of 5',
      '  allow → deny: 2',
      '    line 2: allow (no rule matched: default allow) → deny by cost-limit-policy/deny-expensive-models',
      '    line 6: allow (no rule matched: default allow) → deny by cost-limit-policy/deny-expensive-models',
      '',
    ].join('\n'))).toBe(true);
  });

  it('prints the report as JSON', async () => {
    const r = await runInProcess(['simulate', current, '--fixtures', fixtures, '--format', 'json', '--no-enrich']);
    const report = JSON.parse(r.stdout);
    expect(report.total).toBe(5);
    expect(report.main.decisions).toEqual({ allow: 4, deny: 1, needs_approval: 0 });
    expect(report.main.rules).toEqual([{ policyId: 'cost-limit-policy', ruleId: 'deny-expensive-models', decision: 'deny', priority: 100, hits: 1 }]);
  });

  it('stops at a bad fixture line with file:line:col, or skips bad lines with --skip-invalid', async () => {
    const bad = tmp.write('bad.jsonl', `${line(0.2, 'free')}\n{"llm": \n[1]\n${line(1.5, 'free')}\n`);
    const stopped = await runInProcess(['simulate', current, '--fixtures', bad, '--no-enrich']);
    expect(stopped).toMatchObject({ code: 1, stdout: '' });
    expect(stopped.stderr).toBe(`error: ${bad}:2:9: invalid JSON: unexpected end of input (expected a value) (and 1 more bad lines; --skip-invalid skips them)\n`);

    const skipped = await runInProcess(['simulate', current, '--fixtures', bad, '--no-enrich', '--skip-invalid', '--format', 'json']);
    expect(skipped.code).toBe(0);
    expect(skipped.stderr).toMatch(new RegExp(`^warning: skipped ${escapeRegExp(bad)}:2:9: .*\nwarning: skipped ${escapeRegExp(bad)}:3: expected a JSON object`));
    expect(JSON.parse(skipped.stdout).main.decisions).toEqual({ allow: 1, deny: 1, needs_approval: 0 });
  });

  it('gives the same report for the same seed, and another for another seed', async () => {
    const run = (seed: string) => runInProcess(['simulate', `${REPO}/policies/examples`, '--synthetic', '400', '--seed', seed, '--format', 'json']);
    const [a, b, c] = await Promise.all([run('42'), run('42'), run('43')]);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    expect(c.stdout).not.toBe(a.stdout);
    // The synthetic traffic exercises every rule of the shipped examples.
    const never = JSON.parse(a.stdout).main.rules.filter((r: { hits: number }) => r.hits === 0);
    expect(never).toEqual([]);
  });

  it('synthetic --compare shows how a candidate changes decisions', async () => {
    const r = await runInProcess(['simulate', candidate, '--synthetic', '3000', '--seed', '1', '--compare', current, '--examples', '1']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^changed decisions: \d+ of 3000\n {2}allow → deny: \d+\n {4}#\d+: allow \(no rule matched: default allow\) → deny by cost-limit-policy\/deny-expensive-models\n/m);
  });

  it('needs exactly one source of contexts', async () => {
    const none = await runInProcess(['simulate', current]);
    expect(none).toMatchObject({ code: 1, stderr: 'error: give exactly one of --fixtures F, --synthetic N or --from-decisions F (see llm-policy simulate --help)\n' });
    const both = await runInProcess(['simulate', current, '--fixtures', fixtures, '--synthetic', '5']);
    expect(both.stderr).toBe(none.stderr);
    const bad = await runInProcess(['simulate', current, '--synthetic', 'lots']);
    expect(bad.stderr).toBe('error: --synthetic must be a whole number from 1 to 1000000, got "lots" (see llm-policy simulate --help)\n');
  });
});

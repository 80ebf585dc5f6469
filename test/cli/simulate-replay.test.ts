// llm-policy simulate --from-decisions: recorded decisions (the NDJSON of GET /v1/decisions)
// replayed through a candidate policy set, as text and JSON, with bad lines located.
import { describe, expect, it } from 'vitest';
import { runInProcess, SEED_POLICY, spawnCli, tempDir } from './support';

const tmp = tempDir();
// The candidate denies free teams from 50 cents, in every namespace.
const candidate = tmp.path('candidate');
tmp.write('candidate/cost.yaml', SEED_POLICY.replace('value: 1.0', 'value: 0.5').replace('  namespace: production\n', ''));

const rec = (id: string, team: string, tier: string, cost: number, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    requestId: id, time: '2026-11-20T12:00:00.000Z', source: 'proxy', decision: 'allow',
    subject: { teamId: team, userId: `${team}-u` }, decidingRules: [], matchedRules: [],
    bundle: { version: '1.0.0', hash: 'sha256:abc' }, reasons: [], tags: {}, estimatedCostUsd: cost,
    context: { team: { id: team, tier }, llm: { model: 'gpt-4o', estimatedCost: cost } },
    ...extra,
  });
const decisions = tmp.write('decisions.ndjson', [
  rec('r1', 'free-a', 'free', 0.7),
  rec('r2', 'free-a', 'free', 0.2),
  rec('r3', 'pro-a', 'pro', 0.9),
  rec('r4', 'free-b', 'free', 0.6, { decision: 'rate_limited' }),
  JSON.stringify({ requestId: 'r5', time: '2026-11-20T12:00:00.000Z', decision: 'allow', subject: { teamId: 'free-c' } }),
  '',
].join('\n'));

describe('llm-policy simulate --from-decisions', { timeout: 60_000 }, () => {
  it('reports decisions then and now, the changes with teams and users, blocked cost and unreplayable records', () => {
    const r = spawnCli(['simulate', candidate, '--from-decisions', decisions]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`4 of 5 decision records replayed through ${candidate} (bundle 0.0.0-local, sha256:`);
    expect(r.stdout).toMatch(/^ {2}allow +4 +100\.0% +2 +50\.0%$/m);
    expect(r.stdout).toMatch(/^ {2}deny +0 +0\.0% +2 +50\.0%$/m);
    expect(r.stdout).toContain('  (then also refused after the policy allowed: rate_limited 1)\n');
    expect(r.stdout).toContain([
      'changed decisions: 2 of 4',
      '  allow → deny: 2 ($1.30 estimated)',
      '    decided by: cost-limit-policy/deny-expensive-models (2)',
      '    teams: free-a (1), free-b (1)',
      '    users: free-a-u (1), free-b-u (1)',
      '    r1 2026-11-20T12:00:00.000Z (team free-a, user free-a-u): allow → deny by cost-limit-policy/deny-expensive-models',
      '    r4 2026-11-20T12:00:00.000Z (team free-b, user free-b-u): allow → deny by cost-limit-policy/deny-expensive-models',
      'would have blocked: 2 allowed requests, $1.30 estimated ($0.00 actually spent)',
    ].join('\n'));
    expect(r.stdout).toContain('not replayable: 1 records without a context\n  r5: no context recorded\n');
  });

  it('prints the report as JSON', async () => {
    const r = await runInProcess(['simulate', candidate, '--from-decisions', decisions, '--format', 'json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ records: 5, replayed: 4, before: { allow: 4, deny: 0 }, after: { allow: 2, deny: 2 }, blocked: { requests: 2, estimatedCostUsd: 1.3 } });
    expect(report.notReplayable).toEqual({ count: 1, records: [{ requestId: 'r5', reason: 'no context recorded' }] });
  });

  it('stops at a line that is not a decision record, with file:line', async () => {
    const bad = tmp.write('bad.ndjson', `${rec('r1', 'free-a', 'free', 0.7)}\n{"llm": {"model": "gpt-4o"}}\n`);
    const r = await runInProcess(['simulate', candidate, '--from-decisions', bad]);
    expect(r).toMatchObject({ code: 1, stdout: '' });
    expect(r.stderr).toBe(`error: ${bad}:2: requestId: expected a non-empty string (is this a GET /v1/decisions export?) (--skip-invalid skips bad lines)\n`);
  });

  it('refuses options that do not apply to recorded contexts', async () => {
    const r = await runInProcess(['simulate', candidate, '--from-decisions', decisions, '--compare', candidate]);
    expect(r).toMatchObject({ code: 1 });
    expect(r.stderr).toMatch(/^error: --compare does not go with --from-decisions/);
  });
});

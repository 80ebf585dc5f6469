// llm-policy export: files written or printed, what was left out said on stderr, exit 1 when
// nothing can be exported or the input is bad (one line each).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runInProcess, tempDir } from './support';

const tmp = tempDir();

// In-process, but the first command loads the engine: allow for a busy machine (a limit, not a timing assertion).
describe('llm-policy export', { timeout: 30_000 }, () => {
  it('writes the shipped policies as Cedar to --out and lists what Cedar cannot hold', async () => {
    const r = await runInProcess(['export', 'policies', '--format', 'cedar', '--out', tmp.path('cedar')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    const text = readFileSync(tmp.path('cedar', 'policies.cedar'), 'utf8');
    expect(text).toContain('@id("cost-limits/deny-free-over-cap")\n@decision("deny")');
    expect(text).toContain('forbid (principal, action == Action::"request", resource)');
    expect(r.stderr).toMatch(/^not exported: budgets-and-rate-limits: budget team-monthly-spend \(costUsd 500 per team\.id per month\) needs counters/m);
    expect(r.stderr).toMatch(/^not exported: budgets-and-rate-limits: rate limit user-rpm /m);
    expect(r.stderr).toMatch(/^not exported: output-limits\/clamp-free-max-tokens, .* and 2 more: modify rules are not exported/m);
    expect(r.stderr).toMatch(/^wrote .*policies\.cedar, .*context\.cedarschema: 14 rules of 22 exported to cedar$/m);
  });

  it('prints CEL on stdout when there is no --out, with the bundle default of a compiled bundle', async () => {
    const bundle = tmp.path('bundle.json');
    expect((await runInProcess(['compile', 'policies', '--version', '1.0.0', '--default-decision', 'deny', '--out', bundle])).code).toBe(0);
    const r = await runInProcess(['export', bundle, '--format', 'cel']);
    expect(r.code).toBe(0);
    const doc = parse(r.stdout);
    expect(doc.decisions.request.default).toBe('deny');
    expect(doc.decisions.request.expression).toMatch(/: \("deny"\)$/);
    expect(doc.rules).toHaveLength(22);
    expect(r.stderr).toMatch(/^22 rules of 22 exported to cel$/m);
  });

  it('writes Rego and says it is unverified', async () => {
    const r = await runInProcess(['export', 'policies', '--format', 'rego', '-o', tmp.path('rego')]);
    expect(r.code).toBe(0);
    expect(readFileSync(tmp.path('rego', 'policies.rego'), 'utf8')).toMatch(/^# unverified: no OPA runs/m);
  });

  it('exits 1 with one line when no rule can be written in the format', async () => {
    tmp.write('regex-only/p.yaml', 'metadata: {id: p}\nrules:\n  - id: r\n    condition: {operator: matches, field: llm.model, value: "^gpt"}\n    action: {decision: deny, reason: no}\n');
    const r = await runInProcess(['export', tmp.path('regex-only'), '--format', 'cedar']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe([
      'not exported: p/r: condition: matches: Cedar has no regular expressions (only like with * wildcards); rule left out, so where it would match the other rules decide instead of its deny',
      `error: ${tmp.path('regex-only')}: nothing to export: none of its 1 rule can be written in cedar`,
      '',
    ].join('\n'));
    // CEL has regular expressions: the same set exports.
    expect((await runInProcess(['export', tmp.path('regex-only'), '--format', 'cel'])).code).toBe(0);
  });

  it('refuses bad input in one line', async () => {
    expect(await runInProcess(['export', 'policies'])).toMatchObject({ code: 1, stderr: 'error: --format is required (see llm-policy export --help)\n' });
    expect(await runInProcess(['export', 'policies', '--format', 'opa'])).toMatchObject({ code: 1, stderr: 'error: --format must be cedar or cel or rego, got "opa" (see llm-policy export --help)\n' });
    expect(await runInProcess(['export', '--format', 'cel'])).toMatchObject({ code: 1, stderr: 'error: missing a policy folder, file or bundle (see llm-policy export --help)\n' });
    const bad = tmp.write('bad/p.yaml', 'metadata: {id: p}\nrules:\n  - id: r\n    condition: {operator: gt, field: llm.model, value: [1]}\n    action: {decision: deny, reason: no}\n');
    const r = await runInProcess(['export', tmp.path('bad'), '--format', 'cel']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(new RegExp(`^error: ${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:4:`));
  });
});

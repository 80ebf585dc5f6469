// llm-policy lint: one line per finding with file:line, severity, code, rule and suggestion; a
// summary line; exit 1 only when a finding is an error. The checks themselves are src/lint's.
import { describe, expect, it } from 'vitest';
import { formatFinding } from '../../src/cli/commands/lint';
import { runInProcess, SEED_POLICY, spawnCli, tempDir } from './support';

const tmp = tempDir();
const clean = tmp.write('clean/cost.yaml', SEED_POLICY);
// Line 5: the deny rule's action, which has no reason.
const noReason = tmp.write('broken/no-reason.yaml', `metadata:
  id: gate
rules:
  - id: block-gpt4
    action: { decision: deny }
    condition: { operator: eq, field: llm.model, value: gpt-4 }
`);

describe('llm-policy lint', { timeout: 60_000 }, () => {
  it('exits 1 on an error finding, with file:line, severity, [code], policy/rule, message and suggestion', () => {
    const r = spawnCli(['lint', tmp.path('broken')]);
    expect(r.code).toBe(1);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^.*\/broken\/no-reason\.yaml:5: error: \[missing-reason\] gate\/block-gpt4: deny rule has no reason: .* \(add action\.reason .*\)$/);
    expect(lines.at(-1)).toBe('1 error, 0 warnings, 0 info');
  });

  it('exits 0 on a clean set and on warnings alone', async () => {
    const r = await runInProcess(['lint', clean]);
    expect(r).toEqual({ code: 0, stdout: '0 errors, 0 warnings, 0 info\n', stderr: '' });

    const shortReason = tmp.write('short/short.yaml', `metadata: { id: short }
rules:
  - id: r
    condition: { operator: eq, field: llm.model, value: gpt-4 }
    action: { decision: deny, reason: no }
`);
    const warned = await runInProcess(['lint', shortReason]);
    expect(warned.code).toBe(0);
    expect(warned.stdout).toMatch(/short\.yaml:5: warning: \[missing-reason\] short\/r: /);
    expect(warned.stdout.trimEnd().split('\n').at(-1)).toBe('0 errors, 1 warning, 0 info');
  });

  it('lints a bundle, naming the bundle file', async () => {
    const bundle = tmp.path('broken.bundle.json');
    expect((await runInProcess(['compile', noReason, '--version', '1.0.0', '--out', bundle])).code).toBe(0);
    const r = await runInProcess(['lint', bundle]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`${bundle}: error: [missing-reason] gate/block-gpt4: deny rule has no reason`);
  });

  it('prints {findings, summary} with --format json', async () => {
    const r = await runInProcess(['lint', noReason, '--format', 'json']);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.summary).toEqual({ errors: 1, warnings: 0, info: 0 });
    expect(out.findings[0]).toMatchObject({ severity: 'error', code: 'missing-reason', policyId: 'gate', ruleId: 'block-gpt4', file: noReason, line: 5 });
  });

  it('reports a policy file that does not parse in one line, exit 1', async () => {
    const bad = tmp.write('unparsable/bad.yaml', 'metadata: { id: x }\nrules: [\n');
    const r = await runInProcess(['lint', bad]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/bad\.yaml:\d+:\d+: /);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('formats findings whose place is partly unknown', () => {
    expect(formatFinding({ severity: 'info', code: 'disabled', message: 'rule is disabled' })).toBe('info: [disabled] rule is disabled');
    expect(formatFinding({ severity: 'warning', code: 'c', message: 'm', policyId: 'p', file: 'f.yaml' })).toBe('f.yaml: warning: [c] p: m');
  });
});

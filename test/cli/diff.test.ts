// llm-policy diff: folders, files and bundles on either side; text and JSON; always exit 0.
import { describe, expect, it } from 'vitest';
import { runInProcess, SEED_POLICY, spawnCli, tempDir } from './support';

const tmp = tempDir();
const PII = `metadata: { id: pii-guard }
rules:
  - id: warn-pii
    condition: { operator: eq, field: llm.containsPII, value: true }
    action: { decision: warn, reason: Prompt may contain PII }
`;
tmp.write('old/cost.yaml', SEED_POLICY);
tmp.write('old/pii.yaml', PII);
tmp.write('new/cost.yaml', SEED_POLICY.replace('value: 1.0', 'value: 2.0').replace('priority: 100', 'priority: 200'));
tmp.write('new/approval.yaml', `metadata: { id: approval }
rules:
  - id: approve-big
    condition: { operator: gt, field: llm.estimatedCost, value: 25 }
    action: { decision: needs_approval, reason: Over $25 needs approval }
`);

describe('llm-policy diff', { timeout: 60_000 }, () => {
  it('shows added, removed and modified policies and rules between two folders, exit 0', () => {
    const r = spawnCli(['diff', tmp.path('old'), tmp.path('new')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe([
      '+ policy approval',
      '- policy pii-guard',
      '~ policy cost-limit-policy',
      '    metadata.priority: 100 → 200',
      '    ~ rule deny-expensive-models',
      '        condition.conditions[0].value: 1 → 2',
      '1 added, 1 removed, 1 modified, 0 unchanged',
      '',
    ].join('\n'));
  });

  it('compares two bundles, version included, and a folder with a bundle', async () => {
    const a = tmp.path('a.json');
    const b = tmp.path('b.json');
    await runInProcess(['compile', tmp.path('old'), '--version', '1.0.0', '--out', a]);
    await runInProcess(['compile', tmp.path('old'), '--version', '1.1.0', '--out', b]);
    expect(await runInProcess(['diff', a, b])).toEqual({
      code: 0,
      stdout: 'version: 1.0.0 → 1.1.0\nunchanged: cost-limit-policy, pii-guard\n0 added, 0 removed, 0 modified, 2 unchanged\n',
      stderr: '',
    });
    const mixed = await runInProcess(['diff', a, tmp.path('new')]);
    expect(mixed.stdout).toContain('+ policy approval\n- policy pii-guard\n~ policy cost-limit-policy\n');
  });

  it('prints the diff as JSON with --format json', async () => {
    const r = await runInProcess(['diff', tmp.path('old'), tmp.path('new'), '--format', 'json']);
    expect(JSON.parse(r.stdout)).toEqual({
      added: ['approval'],
      removed: ['pii-guard'],
      unchanged: [],
      modified: [{
        id: 'cost-limit-policy',
        changes: ['metadata.priority: 100 → 200'],
        rules: { added: [], removed: [], modified: ['deny-expensive-models'], unchanged: [], changes: { 'deny-expensive-models': ['condition.conditions[0].value: 1 → 2'] } },
      }],
    });
  });

  it('needs exactly two inputs', async () => {
    expect(await runInProcess(['diff', tmp.path('old')])).toMatchObject({
      code: 1,
      stderr: 'error: missing two policy folders, files or bundles to compare (see llm-policy diff --help)\n',
    });
  });
});

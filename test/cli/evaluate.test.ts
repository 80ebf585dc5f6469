// llm-policy evaluate: the seed README example as written, context sources, bundles, and the
// one-line errors for bad input.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { escapeRegExp, expectNoStack, runInProcess, SEED_CONTEXT, SEED_POLICY, spawnCli, tempDir } from './support';

const tmp = tempDir();
const policyFile = tmp.write('my-policy.yaml', SEED_POLICY);
const expensive = JSON.stringify({ llm: { provider: 'openai', model: 'gpt-4', estimatedCost: 1.5 }, team: { id: 'team-123', tier: 'free' } });

// Spawned runs start tsx: allow for a busy machine (a limit, not a timing assertion).
describe('llm-policy evaluate', { timeout: 60_000 }, () => {
  it('runs the seed README example exactly as written: gpt-4 with maxTokens 2000 is enriched to about $0.12, so it is allowed', () => {
    // `npx llm-policy evaluate my-policy.yaml --context '{ ...multi-line JSON... }'` from the README.
    const r = spawnCli(['evaluate', 'my-policy.yaml', '--context', SEED_CONTEXT], { cwd: tmp.dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const decision = JSON.parse(r.stdout);
    // Enrichment prices 5 prompt tokens plus 2000 output tokens of gpt-4: far below the $1 limit.
    expect(decision).toMatchObject({ decision: 'allow', allowed: true, reasons: ['no rule matched: default allow'], matchedRules: [] });
    expect(decision.bundle.version).toBe('0.0.0-local');

    // The same policy denies when the estimated cost is over $1, with the README's reason.
    const denied = spawnCli(['evaluate', 'my-policy.yaml', '--context', expensive], { cwd: tmp.dir });
    expect(denied.code).toBe(0);
    expect(JSON.parse(denied.stdout)).toMatchObject({
      decision: 'deny',
      allowed: false,
      reasons: ['Cost exceeds free tier limit ($1.00)'],
      matchedRules: [{ policyId: 'cost-limit-policy', ruleId: 'deny-expensive-models', decision: 'deny', priority: 100 }],
    });
  });

  it('explains in text: the enriched cost and the leaf that failed with the value it saw', async () => {
    const r = await runInProcess(['evaluate', policyFile, '--context', SEED_CONTEXT, '--format', 'text', '--now', '2026-01-05T10:00:00Z']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('decision: allow\n');
    expect(r.stdout).toMatch(/^ {2}llm\.estimatedCost = 0\.12\d*$/m);
    expect(r.stdout).toContain('time = {"hour":10,"weekday":1,"iso":"2026-01-05T10:00:00.000Z"}');
    expect(r.stdout).toContain('✗ cost-limit-policy/deny-expensive-models → deny (priority 100)');
    expect(r.stdout).toMatch(/✗ llm\.estimatedCost gt 1 \(saw 0\.12\d*\)/);
  });

  it('adds the trace with --explain and leaves the context alone with --no-enrich', async () => {
    const r = await runInProcess(['evaluate', policyFile, '--context', SEED_CONTEXT, '--explain', '--no-enrich']);
    const decision = JSON.parse(r.stdout);
    expect(decision.trace).toHaveLength(1);
    expect(decision.trace[0].condition.children[0]).toMatchObject({ kind: 'leaf', field: 'llm.estimatedCost', missing: true, result: false });
  });

  it('reads the context from @file and from stdin (-)', async () => {
    const file = tmp.write('ctx.json', expensive);
    const fromFile = await runInProcess(['evaluate', policyFile, '--context', `@${file}`]);
    expect(JSON.parse(fromFile.stdout).decision).toBe('deny');
    const fromStdin = spawnCli(['evaluate', policyFile, '--context', '-'], { input: expensive });
    expect(fromStdin.code).toBe(0);
    expect(JSON.parse(fromStdin.stdout).decision).toBe('deny');
  });

  it('evaluates a compiled bundle given instead of policy files', async () => {
    const bundleFile = tmp.path('bundle.json');
    expect((await runInProcess(['compile', policyFile, '--version', '2.3.4', '--out', bundleFile])).code).toBe(0);
    const r = await runInProcess(['evaluate', bundleFile, '--context', expensive]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ decision: 'deny', bundle: { version: '2.3.4' } });

    // A bundle whose rule cannot compile is named in the error, with the path inside it.
    const bundle = JSON.parse(readFileSync(bundleFile, 'utf8'));
    bundle.policies[0].rules[0].condition = { operator: 'matches', field: 'llm.prompt', value: '(?<=x)' };
    const broken = tmp.write('broken-bundle.json', JSON.stringify(bundle));
    const error = await runInProcess(['evaluate', broken, '--context', expensive]);
    expect(error.code).toBe(1);
    expect(error.stderr).toMatch(new RegExp(`^error: ${escapeRegExp(broken)}: policies\\[cost-limit-policy\\]\\.rules\\[0\\]\\.condition\\.value: invalid regular expression`));
  });

  it('warns about an empty policy file and uses the default decision', async () => {
    const empty = tmp.write('empty/my.yaml', '# nothing yet\n');
    const r = await runInProcess(['evaluate', empty, '--context', '{}', '--default-decision', 'deny']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`warning: ${empty}: no policies\n`);
    expect(JSON.parse(r.stdout)).toMatchObject({ decision: 'deny', reasons: ['no rule matched: default deny'] });
  });

  it('reports bad YAML in one line with file:line:col, exit 1, no stack trace', () => {
    const bad = tmp.write('bad/policy.yaml', 'metadata:\n  id: x\nrules:\n  - id: r\n    condition: { operator: eq, field: a\n');
    const r = spawnCli(['evaluate', bad, '--context', '{}']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(new RegExp(`^error: ${escapeRegExp(bad)}:\\d+:\\d+: `));
    expectNoStack(r.stderr);
  });

  it('names the problem with a context in one line', async () => {
    const inline = await runInProcess(['evaluate', policyFile, '--context', '{\n  "llm": {\n    "model": }\n}']);
    expect(inline).toMatchObject({ code: 1, stdout: '' });
    expect(inline.stderr).toBe('error: --context: invalid JSON at line 3 column 14: unexpected character "}" (expected a value)\n');

    const array = await runInProcess(['evaluate', policyFile, '--context', '[1, 2]']);
    expect(array.stderr).toBe('error: --context: expected a JSON object, got an array\n');

    const file = tmp.write('broken.json', '{"team": {"tier": "free",}}');
    const fromFile = await runInProcess(['evaluate', policyFile, '--context', `@${file}`]);
    expect(fromFile.code).toBe(1);
    expect(fromFile.stderr).toMatch(new RegExp(`^error: ${escapeRegExp(file)}:1:\\d+: invalid JSON: `));

    const missing = await runInProcess(['evaluate', policyFile, '--context', `@${tmp.path('nope.json')}`]);
    expect(missing.stderr).toBe(`error: ${tmp.path('nope.json')}: no such file or directory\n`);
  });

  it('rejects missing and unknown flags with a hint to --help', async () => {
    expect(await runInProcess(['evaluate', policyFile])).toMatchObject({
      code: 1,
      stderr: 'error: --context is required (see llm-policy evaluate --help)\n',
    });
    expect((await runInProcess(['evaluate', policyFile, '--context', '{}', '--format', 'yaml'])).stderr).toBe(
      'error: --format must be json or text, got "yaml" (see llm-policy evaluate --help)\n',
    );
    expect((await runInProcess(['evaluate', policyFile, '--contxt', '{}'])).stderr).toBe(
      'error: unknown option --contxt (see llm-policy evaluate --help)\n',
    );
  });
});

// POST /v1/policies/lint, /test, /simulate, /diff through the worker's fetch: files in the body,
// the running bundle a real signed bundle in local KV, nothing published by any of them.
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, json } from './support/http';
import { ADMIN, BASE_POLICIES, publish } from './support/publish';

const MODEL_ACCESS = `metadata: { id: model-access }
rules:
  - id: deny-premium-on-free
    condition:
      operator: and
      conditions:
        - { operator: eq, field: team.tier, value: free }
        - { operator: in, field: llm.model, value: [gpt-4o, o3] }
    action: { decision: deny, reason: "{{llm.model}} is not available on the free tier" }
`;

const MODEL_ACCESS_TESTS = `tests:
  - name: free team denied gpt-4o
    context: { team: { tier: free }, llm: { model: gpt-4o } }
    expect: { decision: deny }
  - name: free team allowed o3
    context: { team: { tier: free }, llm: { model: o3 } }
    expect: { decision: allow }
`;

let clientKey: string;

beforeAll(async () => {
  await publish(BASE_POLICIES, '1.0.0');
  const res = await call('/v1/keys', { token: ADMIN, body: { subject: { team: { id: 'acme', tier: 'free' } }, name: 'acme' } });
  clientKey = (await json(res)).key;
});

function post(route: string, body: unknown, token = ADMIN): Promise<Response> {
  return call(`/v1/policies/${route}`, { token, body });
}

/** 1-based line and column of the first occurrence of `needle` in `text`. */
function placeOf(text: string, needle: string): { line: number; column: number } {
  const lines = text.split('\n');
  const line = lines.findIndex((l) => l.includes(needle));
  return { line: line + 1, column: lines[line].indexOf(needle) + 1 };
}

describe('POST /v1/policies/lint', () => {
  it('places a finding at the file, line and column of the field it is about', async () => {
    const text = MODEL_ACCESS.replace('field: team.tier,', 'field: team.tierr,');
    const res = await post('lint', { files: { 'model-access.yaml': text } });
    expect(res.status).toBe(200);
    const { findings, summary } = await json(res);
    const unknown = findings.find((f: any) => f.code === 'unknown-field');
    expect(unknown).toMatchObject({ file: 'model-access.yaml', ...placeOf(text, 'team.tierr'), severity: 'warning', suggestion: 'did you mean team.tier?' });
    expect(summary.warnings).toBeGreaterThanOrEqual(1);
  });

  it('reports a YAML syntax error as an error finding at its line, and still lints the other files', async () => {
    const broken = 'metadata: { id: broken }\nrules:\n  - id: [oops\n';
    const other = MODEL_ACCESS.replace('field: llm.model,', 'field: llm.modle,');
    const res = await post('lint', { files: { 'broken.yaml': broken, 'model-access.yaml': other } });
    const { findings, summary } = await json(res);
    const parse = findings.find((f: any) => f.file === 'broken.yaml');
    expect(parse).toMatchObject({ severity: 'error', code: 'parse-error' });
    expect(parse.line).toBeGreaterThanOrEqual(3);
    expect(findings.some((f: any) => f.file === 'model-access.yaml' && f.code === 'unknown-field')).toBe(true);
    expect(summary.errors).toBe(1);
  });

  it('checks test files: an unknown expectation key is an error at its line', async () => {
    const tests = MODEL_ACCESS_TESTS.replace('expect: { decision: allow }', 'expect: { decison: allow }');
    const res = await post('lint', { files: { 'model-access.yaml': MODEL_ACCESS, 'model-access.test.yaml': tests } });
    const { findings } = await json(res);
    const problem = findings.find((f: any) => f.file === 'model-access.test.yaml');
    expect(problem).toMatchObject({ severity: 'error', code: 'test-file', line: placeOf(tests, 'decison').line });
  });

  it('a clean set has no findings', async () => {
    const res = await post('lint', { files: { 'model-access.yaml': MODEL_ACCESS } });
    expect(await json(res)).toEqual({ findings: [], summary: { errors: 0, warnings: 0, info: 0 } });
  });
});

describe('POST /v1/policies/test', () => {
  it('runs the *.test.yaml files against the policies sent, with the failing expectation and its line', async () => {
    const res = await post('test', { files: { 'model-access.yaml': MODEL_ACCESS, 'model-access.test.yaml': MODEL_ACCESS_TESTS } });
    expect(res.status).toBe(200);
    const result = await json(res);
    expect(result).toMatchObject({ passed: 1, failed: 1 });
    const failing = result.results.find((r: any) => !r.ok);
    expect(failing).toMatchObject({ file: 'model-access.test.yaml', name: 'free team allowed o3', line: placeOf(MODEL_ACCESS_TESTS, 'free team allowed o3').line });
    expect(failing.message).toMatch(/deny/);
  });

  it('a policy file that does not parse fails the run as one located result', async () => {
    const res = await post('test', { files: { 'bad.yaml': 'metadata: { id: bad }\nrules: 7\n', 'bad.test.yaml': MODEL_ACCESS_TESTS } });
    const result = await json(res);
    expect(result.failed).toBe(1);
    expect(result.results[0]).toMatchObject({ file: 'bad.yaml', name: '(policy set)', ok: false, line: 2 });
  });
});

describe('POST /v1/policies/simulate', () => {
  const contexts = [
    { team: { tier: 'free' }, llm: { model: 'o3', prompt: 'hi' } },
    { team: { tier: 'free' }, llm: { model: 'gpt-4o-mini', prompt: 'hi' } },
    { team: { tier: 'pro' }, llm: { model: 'o3', prompt: 'hi' } },
  ];

  it('compares the edited files with the running bundle by default and lists the changed contexts', async () => {
    const res = await post('simulate', { files: { 'model-access.yaml': MODEL_ACCESS }, contexts, now: '2026-01-05T10:00:00Z' });
    expect(res.status).toBe(200);
    const report = await json(res);
    expect(report.total).toBe(3);
    expect(report.main.decisions).toEqual({ allow: 2, deny: 1, needs_approval: 0 });
    expect(report.compare.decisions).toEqual({ allow: 3, deny: 0, needs_approval: 0 });
    expect(report.compareSource).toMatchObject({ source: 'running', version: '1.0.0' });
    expect(report.changes.changed).toBe(1);
    const [transition] = report.changes.transitions;
    expect(transition).toMatchObject({ from: 'allow', to: 'deny', count: 1 });
    expect(transition.examples[0].label).toBe('#1');
    expect(transition.examples[0].after.decidingRules).toEqual(['model-access/deny-premium-on-free']);
  });

  it('returns explained decisions for a small run: each leaf with the value it saw', async () => {
    const res = await post('simulate', { files: { 'model-access.yaml': MODEL_ACCESS }, contexts: [contexts[2]], compare: 'none', explain: true, enrich: false });
    const report = await json(res);
    expect(report.changes).toBeUndefined();
    const [decision] = report.decisions;
    expect(decision.decision).toBe('allow');
    const leaves = decision.trace[0].condition.children;
    expect(leaves[0]).toMatchObject({ kind: 'leaf', field: 'team.tier', actual: 'pro', expected: 'free', result: false });
  });

  it('runs a seeded synthetic population against other files', async () => {
    const body = { files: { 'model-access.yaml': MODEL_ACCESS }, synthetic: { count: 200, seed: 7 }, compare: { files: {} } };
    const first = await json(await post('simulate', body));
    const again = await json(await post('simulate', body));
    expect(first.total).toBe(200);
    expect(first.compare.decisions.deny).toBe(0);
    expect(first.main.decisions).toEqual(again.main.decisions);
  });

  it('refuses files that do not compile, naming file and line', async () => {
    const res = await post('simulate', { files: { 'x.yaml': 'metadata: { id: x }\nrules:\n  - id: r\n    condition: { operator: regex, field: llm.prompt, value: "(" }\n    action: { decision: deny, reason: "bad regex here" }\n' }, contexts });
    expect(res.status).toBe(400);
    const { error } = await json(res);
    expect(error.code).toBe('invalid_policy');
    expect(error.message).toMatch(/^x\.yaml:4/);
  });

  it('needs exactly one of contexts and synthetic', async () => {
    const res = await post('simulate', { files: { 'model-access.yaml': MODEL_ACCESS } });
    expect(res.status).toBe(400);
    expect((await json(res)).error.message).toBe('give exactly one of contexts, synthetic and fromDecisions');
  });
});

describe('POST /v1/policies/simulate with fromDecisions', () => {
  it('replays the recorded decisions of the log under the edited files and names what changes', async () => {
    // Record real decisions under the running bundle: a free team asking for o3 is allowed there.
    const since = new Date(Date.now() - 60_000).toISOString();
    const allowed = await call('/v1/evaluate', { token: clientKey, body: { context: { llm: { model: 'o3' } } } });
    expect((await json(allowed)).decision).toBe('allow');
    let report: Record<string, any> = {};
    // Records are written after the answer (waitUntil): poll the log until the one decision is there.
    for (let i = 0; i < 50 && !(report.replayed >= 1); i++) {
      report = await json(await post('simulate', { files: { 'model-access.yaml': MODEL_ACCESS }, fromDecisions: { since } }));
      if (!(report.replayed >= 1)) await new Promise((r) => setTimeout(r, 50));
    }
    expect(report.replayed).toBeGreaterThanOrEqual(1);
    const toDeny = report.changes.transitions.find((t: any) => t.from === 'allow' && t.to === 'deny');
    expect(toDeny.rules).toEqual([{ id: 'model-access/deny-premium-on-free', count: expect.any(Number) }]);
    expect(toDeny.teams).toContainEqual({ id: 'acme', count: expect.any(Number) });
  });

  it('refuses a window that is not ISO time', async () => {
    const res = await post('simulate', { files: { 'model-access.yaml': MODEL_ACCESS }, fromDecisions: { since: 'last week' } });
    expect(res.status).toBe(400);
    expect((await json(res)).error.message).toMatch(/fromDecisions\.since/);
  });
});

describe('POST /v1/policies/generate', () => {
  it('turns plain English into a validated policy and its tests (rules backend)', async () => {
    const res = await post('generate', { text: 'free tier teams may not use gpt-4o' });
    expect(res.status).toBe(200);
    const out = await json(res);
    expect(Object.keys(out.files).some((f) => f.endsWith('.test.yaml'))).toBe(true);
    expect(out.gates.every((g: any) => g.ok)).toBe(true);
    // The generated files themselves pass the test route.
    const tested = await json(await post('test', { files: out.files }));
    expect(tested.failed).toBe(0);
    expect(tested.passed).toBeGreaterThan(0);
  });

  // A folder whose own tests pass: what the Studio sends as its workspace.
  const WORKSPACE_TESTS = `tests:
  - name: free team denied gpt-4o
    context: { team: { tier: free }, llm: { model: gpt-4o } }
    expect: { decision: deny }
  - name: free team allowed gpt-4.1-mini
    context: { team: { tier: free }, llm: { model: gpt-4.1-mini } }
    expect: { decision: allow }
`;

  it('with the workspace files, runs the merged-folder gate: its tests narrowed where the others decide', async () => {
    const NEEDS_MODEL = `metadata: { id: needs-model }
rules:
  - id: deny-no-model
    condition: { operator: not_exists, field: llm.model }
    action: { decision: deny, reason: "request has no model: set llm.model" }
`;
    const sent = { 'model-access.yaml': MODEL_ACCESS, 'model-access.test.yaml': WORKSPACE_TESTS, 'needs-model.yaml': NEEDS_MODEL };
    const res = await post('generate', { text: 'free tier teams may not use gpt-4.1', files: sent });
    expect(res.status).toBe(200);
    const out = await json(res);
    expect(out.gates.at(-1)).toEqual({ gate: 'beside the sent files', ok: true, message: '1 test(s) keep only their rule expectations: the 2 policies already there decide those requests' });
    // The folder as it will be after accepting: every test passes, the sent ones and the generated.
    const tested = await json(await post('test', { files: { ...sent, ...out.files } }));
    expect(tested.failed).toBe(0);
    expect(tested.passed).toBe(2 + Object.values(out.files).join('').split('- name:').length - 1);
  });

  it('with the workspace files, refuses a policy that changes what their tests expect (422, the gate named)', async () => {
    const sent = { 'model-access.yaml': MODEL_ACCESS, 'model-access.test.yaml': WORKSPACE_TESTS };
    const res = await post('generate', { text: 'free tier teams may not use gpt-4.1-mini', files: sent });
    expect(res.status).toBe(422);
    const out = await json(res);
    expect(out.error.code).toBe('invalid');
    const gate = out.gates.at(-1);
    expect(gate).toMatchObject({ gate: 'beside the sent files', ok: false });
    expect(gate.message).toMatch(/^it changes what model-access\.test\.yaml:5 "free team allowed gpt-4\.1-mini" expects: expected decision allow, got deny/);
    expect(out.error.message).toBe(`beside the sent files: ${gate.message}`);
  });

  it('with the workspace files, fails the gate on a file that does not parse or an id already taken', async () => {
    const broken = await json(await post('generate', { text: 'free tier teams may not use o3', files: { 'broken.yaml': 'metadata: { id: x }\nrules: [ { id: r, condition: true, action: { decision: maybe } } ]\n' } }));
    expect(broken.gates.at(-1)).toMatchObject({ gate: 'beside the sent files', ok: false, message: expect.stringMatching(/^broken\.yaml:2:\d+: .*decision/) });
    const taken = `metadata: { id: free-tier-teams-may-not-use-o3 }\nrules: [ { id: r, condition: false, action: { decision: deny, reason: "never, only holds the id" } } ]\n`;
    const res = await post('generate', { text: 'free tier teams may not use o3', files: { 'mine.yaml': taken } });
    expect(res.status).toBe(422);
    expect((await json(res)).gates.at(-1).message).toMatch(/free-tier-teams-may-not-use-o3/);
    // The generated file's own name is the file it replaces, not a neighbour.
    const replaced = await post('generate', { text: 'free tier teams may not use o3', files: { 'free-tier-teams-may-not-use-o3.yaml': taken } });
    expect(replaced.status).toBe(200);
  });

  it('answers 422 naming the words it could not place, and a client key 403', async () => {
    const res = await post('generate', { text: 'make everything nicer somehow' });
    expect(res.status).toBe(422);
    expect((await json(res)).error.code).toBe('not_understood');
    expect((await post('generate', { text: 'free tier teams may not use gpt-4o' }, clientKey)).status).toBe(403);
  });
});

describe('POST /v1/policies/diff', () => {
  it('diffs the files against the running bundle and returns that bundle as files', async () => {
    const res = await post('diff', { files: { 'model-access.yaml': MODEL_ACCESS } });
    expect(res.status).toBe(200);
    const { diff, before } = await json(res);
    expect(diff.removed).toEqual(['data-protection']);
    expect(diff.modified).toEqual([expect.objectContaining({ id: 'model-access' })]);
    expect(before).toMatchObject({ source: 'running', version: '1.0.0' });
    expect(Object.keys(before.files).sort()).toEqual(['data-protection.yaml', 'model-access.yaml']);
    expect(before.files['model-access.yaml']).toContain('deny-premium-on-free');
  });

  it('returns the running bundle (what the Studio loads) in author order, not the bundle\'s sorted keys', async () => {
    const res = await post('diff', { files: {} });
    const text: string = (await json(res)).before.files['model-access.yaml'];
    const lines = text.split('\n');
    // The first line that starts with `prefix` (indentation included).
    const at = (prefix: string) => {
      const i = lines.findIndex((l) => l.startsWith(prefix));
      expect(i, `${prefix} in\n${text}`).toBeGreaterThanOrEqual(0);
      return i;
    };
    expect(lines[0]).toBe('metadata:');
    expect(lines[1]).toBe('  id: model-access');
    expect(at('rules:')).toBeGreaterThan(at('metadata:'));
    expect(at('  - id: deny-premium-on-free')).toBeLessThan(at('    condition:'));
    expect(at('    condition:')).toBeLessThan(at('    action:'));
    expect(at('      operator: and')).toBeLessThan(at('      conditions:'));
    expect(at('        - operator: eq')).toBeLessThan(at('          field: team.tier'));
    expect(at('          field: team.tier')).toBeLessThan(at('          value: free'));
    expect(at('      decision: deny')).toBeLessThan(at('      reason:'));
  });

  it('prints every part in author order: metadata id, name, description, rules, then budgets and rate limits', async () => {
    // Written with its keys sorted, as a bundle stores them.
    const sorted = `budgets:
  - { limit: { costUsd: 500 }, id: team-spend, scope: team.id, window: month }
metadata: { description: Team spend, id: spend, name: Spend }
rateLimits:
  - { id: user-rpm, limit: { requests: 60 }, scope: user.id, window: minute }
rules:
  - action: { decision: warn, reason: low }
    condition: { field: budget.team-spend.remaining.costUsd, operator: lt, value: 50 }
    description: Warn near the end
    id: warn-low
`;
    const res = await post('diff', { files: { 'spend.yaml': sorted }, against: { files: { 'spend.yaml': sorted } } });
    expect(res.status).toBe(200);
    const keys = (await json(res)).before.files['spend.yaml'].split('\n').filter((l: string) => /^\s*(- )?\w+:/.test(l)).map((l: string) => l.trim().replace(/^- /, '').split(':')[0]);
    expect(keys).toEqual([
      'metadata', 'id', 'name', 'description',
      'rules', 'id', 'description', 'condition', 'operator', 'field', 'value', 'action', 'decision', 'reason',
      'budgets', 'id', 'scope', 'window', 'limit', 'costUsd',
      'rateLimits', 'id', 'scope', 'window', 'limit', 'requests',
    ]);
  });

  it('diffs against another set of files', async () => {
    const renamed = MODEL_ACCESS.replace('deny-premium-on-free', 'deny-premium');
    const res = await post('diff', { files: { 'a.yaml': renamed }, against: { files: { 'a.yaml': MODEL_ACCESS } } });
    const { diff } = await json(res);
    expect(diff.modified[0].rules).toMatchObject({ added: ['deny-premium'], removed: ['deny-premium-on-free'] });
  });
});

describe('authoring routes: access, validation, no publishing', () => {
  it('needs the admin token', async () => {
    expect((await call('/v1/policies/lint', { body: { files: {} } })).status).toBe(401);
    expect((await post('lint', { files: {} }, clientKey)).status).toBe(403);
  });

  it('names the field that is wrong', async () => {
    const cases: Array<[unknown, RegExp]> = [
      [{}, /^files: required/],
      [{ files: { 'a.yaml': 3 } }, /^files\.a\.yaml: expected string/],
      [{ files: { '../etc/passwd.yaml': 'x' } }, /^files\.\.\.\/etc\/passwd\.yaml: a file name is a plain name/],
      [{ files: { 'notes.txt': 'x' } }, /^files\.notes\.txt: a file name/],
      [{ files: {}, extra: 1 }, /unknown field extra/],
    ];
    for (const [body, message] of cases) {
      const res = await post('lint', body);
      expect(res.status).toBe(400);
      expect((await json(res)).error.message).toMatch(message);
    }
  });

  it('caps the number of files and the body size', async () => {
    const many = Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`p${i}.yaml`, '']));
    const res = await post('lint', { files: many });
    expect(res.status).toBe(400);
    expect((await json(res)).error.message).toBe('files: at most 100 files, got 101');
    const huge = await post('lint', { files: { 'a.yaml': 'x'.repeat(1024 * 1024 + 10) } });
    expect(huge.status).toBe(413);
  });

  it('publishes nothing: KV keys and the pointer are unchanged after every route', async () => {
    const before = await env.BUNDLES.list();
    const pointer = await env.BUNDLES.get('pointer');
    const files = { 'model-access.yaml': MODEL_ACCESS, 'model-access.test.yaml': MODEL_ACCESS_TESTS };
    for (const [route, body] of [['lint', { files }], ['test', { files }], ['simulate', { files, synthetic: { count: 5 } }], ['diff', { files }]] as const) {
      expect((await post(route, body)).status).toBe(200);
    }
    expect((await env.BUNDLES.list()).keys.map((k) => k.name)).toEqual(before.keys.map((k) => k.name));
    expect(await env.BUNDLES.get('pointer')).toBe(pointer);
  });
});

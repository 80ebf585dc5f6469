import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePolicies } from '../../src/policy/parse';
import { catchPolicyError, expectPolicyError } from './expect-error';

const SEEDS = '/work/shared/seeds';

/** The "Create Your First Policy" YAML block of the seed README, as written. */
function seedPolicy(): string {
  const readme = readFileSync(`${SEEDS}/${readdirSync(SEEDS).find((f) => f.startsWith('003_'))}`, 'utf8');
  const section = readme.slice(readme.indexOf('### Create Your First Policy'));
  return section.slice(section.indexOf('```yaml\n') + 8, section.indexOf('```', section.indexOf('```yaml\n') + 8));
}

const policy = (id: string) => `metadata:\n  id: ${id}\nrules:\n  - id: r\n    condition: true\n    action: {decision: allow}\n`;
const jsonPolicy = (id: string) => ({ metadata: { id }, rules: [{ id: 'r', condition: true, action: { decision: 'allow' } }] });

describe('the seed README policy', () => {
  it('parses as written, exactly as written', () => {
    expect(parsePolicies(seedPolicy(), { filename: 'my-policy.yaml' })).toEqual([
      {
        metadata: { id: 'cost-limit-policy', name: 'Monthly Cost Limit', version: '1.0.0', namespace: 'production', priority: 100 },
        rules: [
          {
            id: 'deny-expensive-models',
            name: 'Deny requests exceeding cost threshold',
            condition: {
              operator: 'and',
              conditions: [
                { operator: 'gt', field: 'llm.estimatedCost', value: 1.0 },
                { operator: 'eq', field: 'team.tier', value: 'free' },
              ],
            },
            action: { decision: 'deny', reason: 'Cost exceeds free tier limit ($1.00)' },
          },
        ],
        status: 'active',
      },
    ]);
  });

  it('keeps keys in the order written and adds no defaults', () => {
    const [p] = parsePolicies(seedPolicy());
    expect(Object.keys(p)).toEqual(['metadata', 'rules', 'status']);
    expect(Object.keys(p.rules[0])).toEqual(['id', 'name', 'condition', 'action']);
    expect(JSON.parse(JSON.stringify(p))).toEqual(p);
  });

  it('describes an error as file:line:col: path: message', () => {
    const broken = seedPolicy().replace('operator: eq', 'operator: equals');
    const error = catchPolicyError(() => parsePolicies(broken, { filename: 'my-policy.yaml' }));
    expect(error.describe()).toMatch(/^my-policy\.yaml:\d+:\d+: rules\[0\]\.condition\.conditions\[1\]\.operator: unknown operator "equals" \(expected one of .*eq, ne/);
  });
});

describe('YAML streams', () => {
  it('reads several documents, each a policy or a list of policies', () => {
    const text = `${policy('a')}---\n- ${policy('b').replace(/\n(?=.)/g, '\n  ')}- ${policy('c').replace(/\n(?=.)/g, '\n  ')}---\n${policy('d')}`;
    expect(parsePolicies(text).map((p) => p.metadata.id)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('skips empty and comment-only documents', () => {
    expect(parsePolicies(`---\n---\n# nothing here\n---\n${policy('a')}---\n...\n`).map((p) => p.metadata.id)).toEqual(['a']);
  });

  it('reads an empty file, or one of only comments, as zero policies', () => {
    expect(parsePolicies('')).toEqual([]);
    expect(parsePolicies('\n  \n')).toEqual([]);
    expect(parsePolicies('# policies go here\n', { filename: 'a.yaml' })).toEqual([]);
    expect(parsePolicies('[]', { format: 'yaml' })).toEqual([]);
  });

  it('names the document of an error by its index in the stream, counting empty ones', () => {
    const error = expectPolicyError(`${policy('a')}---\n---\nmetadata:\n  id: b\n  ▸nmae: x\n${policy('b').slice('metadata:\n  id: b\n'.length)}`, {
      path: 'metadata.nmae',
      message: 'did you mean "name"?',
      document: 2,
    });
    expect(error.describe()).toContain('(document 3)');
  });

  it('prefixes paths in a list of policies with the policy index', () => {
    expectPolicyError(`- ${policy('a').replace(/\n(?=.)/g, '\n  ')}- metadata: {id: b}\n  rules:\n    - id: r\n      condition: {operator: eq, field: a, value: ▸null}\n      action: {decision: allow}\n`, {
      path: '[1].rules[0].condition.value',
      message: 'must not be null',
    });
  });

  it('rejects a document that is neither a policy nor a list', () => {
    expectPolicyError(`${policy('a')}---\n▸just text\n`, { message: 'expected a policy (a mapping) or a list of policies, got "just text"', document: 1 });
  });

  it('rejects duplicate keys, pointing at the second one', () => {
    expectPolicyError('metadata:\n  id: a\n  name: x\n  ▸name: y\nrules: []\n', { code: 'parse_error', path: 'metadata.name', message: 'duplicate key "name"' });
  });

  it('rejects keys that only become duplicates as strings', () => {
    expectPolicyError('metadata:\n  id: a\n  source: {1: x, ▸"1": y}\n', { code: 'parse_error', path: 'metadata.source["1"]', message: 'duplicate key "1"' });
  });

  it('reports YAML syntax errors with their position', () => {
    const error = catchPolicyError(() => parsePolicies('metadata:\n  id: a\nrules: [\n', { filename: 'bad.yaml' }));
    expect(error).toMatchObject({ code: 'parse_error', file: 'bad.yaml', document: 0 });
    expect(error.line).toBeGreaterThanOrEqual(3);
  });

  it('rejects unknown tags rather than reading them as strings', () => {
    expectPolicyError('metadata:\n  id: a\n  name: ▸!include name.txt\n', { code: 'parse_error', message: 'Unresolved tag: !include' });
  });

  it('rejects duplicate policy ids in one text', () => {
    expectPolicyError(`${policy('a')}---\nmetadata:\n  id: ▸a\n${policy('a').slice('metadata:\n  id: a\n'.length)}`, {
      path: 'metadata.id',
      message: 'duplicate policy id "a" (first defined at line 2)',
      document: 1,
    });
  });

  it('counts draft and disabled policies towards id uniqueness', () => {
    const draft = policy('a').replace('metadata:', 'status: draft\nmetadata:');
    expect(() => parsePolicies(`${draft}---\n${policy('a')}`)).toThrow(/duplicate policy id "a"/);
  });

  it('expands anchors and aliases into separate plain objects', () => {
    const text = 'metadata: {id: a}\nrules:\n  - id: r1\n    condition: &free {operator: eq, field: team.tier, value: free}\n    action: {decision: deny}\n  - id: r2\n    condition: {operator: not, condition: *free}\n    action: {decision: allow}\n';
    const [p] = parsePolicies(text);
    expect(p.rules[1].condition).toEqual({ operator: 'not', condition: { operator: 'eq', field: 'team.tier', value: 'free' } });
    expect((p.rules[1].condition as { condition: object }).condition).not.toBe(p.rules[0].condition);
  });

  it('refuses aliases that expand exponentially ("billion laughs")', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i++) {
      const [name, previous] = [String.fromCharCode(97 + i), String.fromCharCode(96 + i)];
      levels.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(', ')}]`);
    }
    expect(catchPolicyError(() => parsePolicies(levels.join('\n'))).code).toBe('parse_error');
  });

  it('refuses nesting deep enough to exhaust the stack, as a parse error', () => {
    const deep = `metadata: {id: a}\nrules:\n  - id: r\n    condition: ${'{operator: not, condition: '.repeat(400)}true${'}'.repeat(400)}\n    action: {decision: allow}\n`;
    expect(catchPolicyError(() => parsePolicies(deep)).code).toBe('parse_error');
  });

  it('keeps __proto__ as a plain key of free-form metadata, without touching prototypes', () => {
    const [p] = parsePolicies(`metadata:\n  id: a\n  source: {__proto__: {polluted: true}}\n${policy('a').slice('metadata:\n  id: a\n'.length)}`);
    expect(Object.prototype.hasOwnProperty.call(p.metadata.source, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(p.metadata.source)).toBe(Object.prototype);
  });
});

describe('JSON', () => {
  it('reads one policy object or an array of them', () => {
    expect(parsePolicies(JSON.stringify(jsonPolicy('a')), { filename: 'a.json' })).toEqual([jsonPolicy('a')]);
    expect(parsePolicies(JSON.stringify([jsonPolicy('a'), jsonPolicy('b')]), { filename: 'a.json' })).toEqual([jsonPolicy('a'), jsonPolicy('b')]);
    expect(parsePolicies('[]', { filename: 'a.json' })).toEqual([]);
  });

  it('reads an empty JSON file as zero policies (spec §3), not a syntax error', () => {
    expect(parsePolicies('', { filename: 'a.json' })).toEqual([]);
    expect(parsePolicies('\uFEFF \n\t\n', { filename: 'a.json' })).toEqual([]);
  });

  it('rejects duplicate keys', () => {
    expectPolicyError('{"metadata": {"id": "a", ▸"id": "b"}, "rules": []}', { code: 'parse_error', path: 'metadata.id', message: 'invalid JSON: duplicate key "id"' }, { filename: 'a.json' });
  });

  it('reports syntax errors as JSON errors, with line and column', () => {
    expectPolicyError('{\n  "metadata": {"id": "a"},\n  "rules": [▸}\n', { code: 'parse_error', message: 'invalid JSON: unexpected character "}" (expected a value)' }, { filename: 'a.json' });
    expectPolicyError('{"metadata": {"id": "a"}▸', { code: 'parse_error', message: 'invalid JSON: unexpected end of input' }, { filename: 'a.json' });
    expectPolicyError("{▸'metadata': 1}", { code: 'parse_error', message: 'expected a string key' }, { filename: 'a.json' });
    expectPolicyError('{"a": 1,▸}', { code: 'parse_error', message: 'expected a string key' }, { filename: 'a.json' });
    expectPolicyError('{"a": 0▸1}', { code: 'parse_error', message: 'expected "," or "}"' }, { filename: 'a.json' });
  });

  it('reports schema errors with JSON positions and no document index', () => {
    const error = expectPolicyError('[\n  {"metadata": {"id": "a"}, "rules": [\n    {"id": "r", "condition": {"operator": "gt", "field": "a", "value": ▸[1]}, "action": {"decision": "deny"}}]}\n]', {
      path: '[0].rules[0].condition.value',
      message: 'needs a number or a string',
    }, { filename: 'p.json' });
    expect(error.document).toBeUndefined();
  });

  it('rejects a JSON value that is not a policy or an array', () => {
    expectPolicyError('▸"policy"', { message: 'expected a policy (a mapping) or a list of policies' }, { filename: 'a.json' });
  });
});

describe('format', () => {
  const yaml = policy('a');
  const json = JSON.stringify(jsonPolicy('a'));

  it('is taken from the option first, then the file name, then the text', () => {
    expect(parsePolicies(json, { format: 'yaml', filename: 'x.json' })).toEqual([jsonPolicy('a')]);
    expect(catchPolicyError(() => parsePolicies(yaml, { filename: 'x.json' })).message).toMatch(/^invalid JSON/);
    expect(parsePolicies(yaml, { filename: 'x.YML' })).toHaveLength(1);
    expect(parsePolicies(`  \n${json}`)).toEqual([jsonPolicy('a')]);
  });

  it('sniffs JSON from a leading { or [ so JSON mistakes read as JSON errors', () => {
    expect(catchPolicyError(() => parsePolicies('{"metadata": {"id": "a"},}')).message).toMatch(/^invalid JSON/);
    expect(catchPolicyError(() => parsePolicies('[{"a": 1} {"b": 2}]')).message).toMatch(/^invalid JSON: .*expected "," or "\]"/);
  });

  it('refuses input that is not text', () => {
    expect(catchPolicyError(() => parsePolicies(undefined as unknown as string)).code).toBe('input_error');
  });

  it('treats other text as YAML', () => {
    expect(catchPolicyError(() => parsePolicies('metadata: [', {})).message).not.toMatch(/JSON/);
  });
});

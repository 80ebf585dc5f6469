// llm-policy suggest: recorded decisions in, the suggestion list out (stdout or --out), errors located.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { record, times } from '../authoring/suggest-fixture';
import { runInProcess, spawnCli, tempDir } from './support';

const tmp = tempDir();
const ndjson = (records: object[]) => `${records.map((r) => JSON.stringify(r)).join('\n')}\n`;
const decisions = tmp.write('decisions.ndjson', ndjson([record({ pii: ['email'], environment: 'production' }), ...times(20, { model: 'gpt-4o', tokens: 10 })]));
tmp.write('policies/models.yaml', 'metadata: { id: models }\nrules:\n  - { id: no-o1, condition: { operator: eq, field: llm.model, value: o1 }, action: { decision: deny, reason: o1 is retired here } }\n');
const hundred = tmp.write('hundred.ndjson', ndjson(times(100, (i) => ({ model: 'gpt-4o-mini', user: `u${i}` }))));

describe('llm-policy suggest', { timeout: 60_000 }, () => {
  it('prints the suggestions as a JSON list, most urgent first', () => {
    const r = spawnCli(['suggest', '--from-decisions', decisions]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const list = JSON.parse(r.stdout);
    expect(list.map((s: { metric: string }) => s.metric)).toEqual(['pii_reaching_production', 'short_prompts_on_expensive_model']);
    expect(list[0]).toMatchObject({ category: 'risk', priority: 'high', effort: 'low', impact: 'high', policy: { metadata: { id: 'redact-pii-in-production' } } });
  });

  it('writes --out and reads --policies for dead rules', async () => {
    const out = tmp.path('suggestions.json');
    const r = await runInProcess(['suggest', '--from-decisions', hundred, '--policies', tmp.path('policies'), '--out', out]);
    expect(r).toMatchObject({ code: 0, stdout: '' });
    expect(r.stderr).toBe(`wrote ${out}: 1 suggestions from 100 records\n`);
    expect(JSON.parse(readFileSync(out, 'utf8')).map((s: { id: string }) => s.id)).toEqual(['dead-rule:models/no-o1']);
  });

  it('needs --from-decisions, and names the line that is not a record', async () => {
    expect((await runInProcess(['suggest'])).stderr).toBe('error: --from-decisions F.ndjson is required (the NDJSON of GET /v1/decisions) (see llm-policy suggest --help)\n');
    const bad = tmp.write('bad.ndjson', '{"requestId": "a", "decision": "allow", "time": "yesterday"}\n');
    const r = await runInProcess(['suggest', '--from-decisions', bad]);
    expect(r).toMatchObject({ code: 1, stdout: '' });
    expect(r.stderr).toBe(`error: ${bad}:1: record a: time: expected an ISO 8601 time (--skip-invalid skips bad lines)\n`);
  });
});

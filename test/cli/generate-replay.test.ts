// generate --replay: the new policy is replayed over recorded decisions (the NDJSON of
// GET /v1/decisions) before anything is written, and the report says what would change.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runInProcess, tempDir } from './support';

const record = (n: number, tier: string, model: string) => JSON.stringify({
  id: `rec-${n}`, requestId: `req-${n}`, time: '2026-11-20T12:00:00.000Z', source: 'evaluate', decision: 'allow',
  subject: { teamId: `team-${n}` }, decidingRules: [], matchedRules: [], bundle: { version: '1.0.0', hash: 'sha256:x' },
  reasons: ['no rule matched: default allow'], tags: {}, context: { team: { id: `team-${n}`, tier }, llm: { model } },
});

describe('llm-policy generate --replay', { timeout: 60_000 }, () => {
  const tmp = tempDir();
  const decisions = tmp.write('decisions.ndjson', [record(1, 'free', 'gpt-4o'), record(2, 'pro', 'gpt-4o'), record(3, 'free', 'gpt-4o-mini')].join('\n') + '\n');

  it('reports the recorded decisions the new policy would change, then writes it', async () => {
    const out = tmp.path('replayed');
    const r = await runInProcess(['generate', 'free tier teams may not use gpt-4o', '--out', out, '--replay', decisions]);
    expect(r.code).toBe(0);
    expect(r.stdout + r.stderr).toMatch(/1 of 3 recorded decisions would change/);
    expect(existsSync(out)).toBe(true);
  });

  it('a file that is not decision records stops it, writing nothing', async () => {
    const out = tmp.path('not-written');
    const bad = tmp.write('bad.ndjson', 'not json\n');
    const r = await runInProcess(['generate', 'free tier teams may not use gpt-4o', '--out', out, '--replay', bad]);
    expect(r.code).toBe(1);
    expect(existsSync(out)).toBe(false);
  });
});

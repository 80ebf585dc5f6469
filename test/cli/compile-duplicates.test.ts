// compile refuses what lint calls a duplicate id: two budgets with one id would share counters.
import { describe, expect, it } from 'vitest';
import { runInProcess, tempDir } from './support';

const budget = (policy: string) => `metadata: { id: ${policy} }
rules:
  - { id: r, condition: true, action: { decision: allow } }
budgets:
  - { id: team-spend, scope: team.id, window: month, limit: { costUsd: 10 } }
`;

describe('llm-policy compile', () => {
  it('refuses budget ids defined twice in the set, in one located line, and writes nothing', async () => {
    const t = tempDir();
    t.write('a.yaml', budget('a'));
    t.write('b.yaml', budget('b'));
    expect((await runInProcess(['lint', t.dir])).code).toBe(1);
    const r = await runInProcess(['compile', t.dir, '--version', '1.0.0', '--out', t.path('bundle.json')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: .*b\.yaml:\d+:\d+: budgets\[0\]\.id: .*budget or rate limit id "team-spend".*; not compiling\n$/);
    expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect((await runInProcess(['compile', t.path('a.yaml'), '--version', '1.0.0'])).code).toBe(0);
  });
});

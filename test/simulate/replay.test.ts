// replayDecisions(): recorded decisions (as GET /v1/decisions exports them) through a new policy
// set: decisions then and now, the changes with who they hit and what they would have blocked,
// records without a context, and rules reading fields the records lost to privacy.
import { describe, expect, it } from 'vitest';
import { toStoredRecord } from '../../src/durable/decision-privacy';
import type { DecisionRecord } from '../../src/durable/decision-types';
import { compileBundle, loadBundle, parsePolicies } from '../../src/index';
import { parseDecisionRecords } from '../../src/simulate/decision-records';
import { replayDecisions } from '../../src/simulate/replay';
import { formatReplay } from '../../src/simulate/replay-format';

async function evaluatorOf(yaml: string) {
  return loadBundle(await compileBundle(parsePolicies(yaml), { version: '2.0.0', createdAt: '2026-01-01T00:00:00Z' }));
}

// The new set: free teams lose gpt-4o, contractors are denied (by e-mail), no "password" prompts,
// nothing at 3 in the morning.
const NEW = `
metadata: { id: models }
rules:
  - id: free-no-gpt-4o
    condition:
      operator: and
      conditions:
        - { operator: eq, field: team.tier, value: free }
        - { operator: eq, field: llm.model, value: gpt-4o }
    action: { decision: deny, reason: free teams may not use gpt-4o }
---
metadata: { id: people }
rules:
  - id: no-contractors
    condition: { operator: ends_with, field: user.email, value: "@contractor.example" }
    action: { decision: deny, reason: contractors are not allowed }
  - id: no-passwords
    condition: { operator: contains, field: llm.prompt, value: password }
    action: { decision: deny, reason: no passwords in prompts }
  - id: not-at-3am
    condition: { operator: eq, field: time.hour, value: 3 }
    action: { decision: deny, reason: maintenance window }
`;

let n = 0;
function record(over: Partial<DecisionRecord> & { context?: Record<string, unknown> }): DecisionRecord {
  n++;
  return {
    id: `record-${n}`,
    requestId: `req-${n}`,
    time: '2026-11-20T12:00:00.000Z',
    source: 'evaluate',
    decision: 'allow',
    subject: {},
    decidingRules: [],
    matchedRules: [],
    bundle: { version: '1.0.0', hash: 'sha256:old' },
    reasons: [],
    tags: {},
    ...over,
  };
}

const ctx = (team: string, tier: string, model: string, extra: Record<string, unknown> = {}) => ({
  team: { id: team, tier },
  user: { id: `${team}-user`, email: `a@${team}.example` },
  llm: { model, estimatedCost: 0.5 },
  ...extra,
});

describe('replayDecisions', () => {
  it('compares each record with what was decided then: counts, changes, who, which rule, blocked cost', async () => {
    const evaluator = await evaluatorOf(NEW);
    const records = [
      // allowed then, denied now: blocked, with its estimate and its real spend
      record({ subject: { teamId: 'free-1', userId: 'u1' }, estimatedCostUsd: 0.5, actualCostUsd: 0.4, context: ctx('free-1', 'free', 'gpt-4o') }),
      record({ subject: { teamId: 'free-1', userId: 'u2' }, estimatedCostUsd: 0.25, context: ctx('free-1', 'free', 'gpt-4o') }),
      // unchanged
      record({ subject: { teamId: 'pro-1' }, context: ctx('pro-1', 'pro', 'gpt-4o') }),
      // denied then by a rule the new set dropped: allowed now
      record({ decision: 'deny', decidingRules: ['old/no-mini'], subject: { teamId: 'pro-2' }, estimatedCostUsd: 0.1, context: ctx('pro-2', 'pro', 'gpt-4o-mini') }),
      // the policy allowed, the budget refused: the policy's decision then was allow
      record({ decision: 'budget_exceeded', subject: { teamId: 'free-2' }, estimatedCostUsd: 1, context: ctx('free-2', 'free', 'gpt-4o') }),
      // a response-stage deny: the request stage had allowed it
      record({ decision: 'deny', decidingRules: ['answers/no-pii'], tags: { stage: 'response' }, subject: { teamId: 'pro-3' }, context: ctx('pro-3', 'pro', 'gpt-4o') }),
    ];
    const r = replayDecisions(evaluator, records);

    expect(r).toMatchObject({ records: 6, replayed: 6, bundle: { version: '2.0.0' }, recordedBundles: [{ id: '1.0.0', count: 6 }] });
    expect(r.before).toEqual({ allow: 5, deny: 1, needs_approval: 0 });
    expect(r.after).toEqual({ allow: 3, deny: 3, needs_approval: 0 });
    expect(r.outcomes).toEqual({ allow: 3, deny: 2, budget_exceeded: 1 });
    expect(r.changes.changed).toBe(4);
    const [toDeny, toAllow] = r.changes.transitions;
    expect(toDeny).toMatchObject({
      from: 'allow', to: 'deny', count: 3, estimatedCostUsd: 1.75,
      rules: [{ id: 'models/free-no-gpt-4o', count: 3 }],
      teams: [{ id: 'free-1', count: 2 }, { id: 'free-2', count: 1 }],
      users: [{ id: 'u1', count: 1 }, { id: 'u2', count: 1 }],
    });
    expect(toDeny.examples[0]).toEqual({
      requestId: records[0].requestId, time: records[0].time, teamId: 'free-1', userId: 'u1',
      before: { decision: 'allow', decidingRules: [], outcome: 'allow' },
      after: { decision: 'deny', decidingRules: ['models/free-no-gpt-4o'], reasons: ['free teams may not use gpt-4o'] },
      estimatedCostUsd: 0.5,
    });
    expect(toDeny.examples[2].before.outcome).toBe('budget_exceeded');
    expect(toAllow).toMatchObject({ from: 'deny', to: 'allow', count: 1, rules: [{ id: 'old/no-mini', count: 1 }], teams: [{ id: 'pro-2', count: 1 }] });
    expect(r.blocked).toEqual({ requests: 3, estimatedCostUsd: 1.75, actualCostUsd: 0.4 });
    expect(r.unblocked).toEqual({ requests: 1, estimatedCostUsd: 0.1 });
    expect(r.rules.find((x) => x.ruleId === 'no-contractors')?.hits).toBe(0);
    expect(r.fidelity).toEqual({ approximateRecords: 0, approximateChanges: 0, fields: [] });
  });

  it('keeps one example per change when asked, but counts every change', async () => {
    const evaluator = await evaluatorOf(NEW);
    const records = [1, 2, 3].map(() => record({ context: ctx('free-9', 'free', 'gpt-4o') }));
    const [t] = replayDecisions(evaluator, records, { examples: 1 }).changes.transitions;
    expect(t.count).toBe(3);
    expect(t.examples.map((e) => e.requestId)).toEqual([records[0].requestId]);
  });

  it('counts and names the records it cannot replay, with why', async () => {
    const evaluator = await evaluatorOf(NEW);
    const records = [
      record({ requestId: 'no-ctx' }),
      record({ requestId: 'too-big', contextOmitted: 'too_large' }),
      record({ requestId: 'uncopyable', tags: { context: 'omitted' } }),
      record({ context: ctx('pro-1', 'pro', 'gpt-4o') }),
    ];
    const r = replayDecisions(evaluator, records, { named: 2 });
    expect(r).toMatchObject({ records: 4, replayed: 1 });
    expect(r.notReplayable).toEqual({
      count: 3,
      records: [{ requestId: 'no-ctx', reason: 'no context recorded' }, { requestId: 'too-big', reason: 'context too large to record (over 64 KiB)' }],
    });
    expect(formatReplay(r, 'new/')).toContain('not replayable: 3 records without a context\n  no-ctx: no context recorded\n  too-big: context too large to record (over 64 KiB)\n  … and 1 more\n');
  });

  it('evaluates time rules at the time of the record', async () => {
    const evaluator = await evaluatorOf(NEW);
    const at = (time: string) => record({ time, context: ctx('pro-1', 'pro', 'gpt-4o') });
    const r = replayDecisions(evaluator, [at('2026-11-20T03:10:00.000Z'), at('2026-11-20T04:10:00.000Z')]);
    expect(r.after).toEqual({ allow: 1, deny: 1, needs_approval: 0 });
    expect(r.changes.transitions[0].rules).toEqual([{ id: 'people/not-at-3am', count: 1 }]);
  });

  it('flags rules that read masked fields, hashed prompts or fields the recording bundle never computed', async () => {
    // Records made private exactly as the edge stores them: user.email masked, the prompt hashed.
    const settings = { storePrompts: false, maskFields: ['user.email'] };
    const contractor = { team: { id: 't', tier: 'pro' }, user: { id: 'c1', email: 'x@contractor.example' }, llm: { model: 'gpt-4o', prompt: 'my password is hunter2' } };
    const stored = await toStoredRecord({ requestId: 'priv-1', source: 'proxy', decision: 'allow', context: contractor }, settings, Date.parse('2026-11-20T12:00:00Z'));
    expect(stored.context).toEqual({ team: { id: 't', tier: 'pro' }, user: { id: 'c1', email: '***' }, llm: { model: 'gpt-4o' } });

    const piiRule = `${NEW}  - id: no-pii\n    condition: { operator: eq, field: llm.containsPII, value: true }\n    action: { decision: deny, reason: no PII }\n`;
    const r = replayDecisions(await evaluatorOf(piiRule), [stored, record({ context: { ...ctx('p', 'pro', 'gpt-4o'), llm: { model: 'gpt-4o', containsPII: false } } })]);
    // Live, both rules would have denied the contractor's request; the record cannot show it.
    expect(r.after).toEqual({ allow: 2, deny: 0, needs_approval: 0 });
    expect(r.fidelity).toEqual({
      approximateRecords: 1,
      approximateChanges: 0,
      fields: [
        { field: 'llm.containsPII', loss: 'not_recorded', records: 1, rules: ['people/no-pii'] },
        { field: 'llm.prompt', loss: 'prompt_hashed', records: 1, rules: ['people/no-passwords'] },
        { field: 'user.email', loss: 'masked', records: 1, rules: ['people/no-contractors'] },
      ],
    });
    expect(formatReplay(r, 'new/')).toContain('  user.email in 1 records, read by people/no-contractors: masked by MASK_FIELDS: the rule saw "***"\n');
  });

  it('marks a change as approximate when its record lost a field some rule reads', async () => {
    const evaluator = await evaluatorOf(NEW);
    const masked = record({ context: { ...ctx('free-1', 'free', 'gpt-4o'), user: { id: 'u', email: '***' } } });
    const [t] = replayDecisions(evaluator, [masked]).changes.transitions;
    expect(t.examples[0].approximate).toEqual(['user.email: masked']);
  });
});

describe('parseDecisionRecords', () => {
  it('reads the NDJSON export and names the file and line of a line that is not a record', () => {
    const good = JSON.stringify(record({ context: { llm: { model: 'gpt-4o' } } }));
    const text = [good, '', '{"requestId": "x", "decision": "allow"}', '{"decision": "allow"}', '[1]', '{"requestId":"y","decision":"deny","time":"2026-11-20T12:00:00Z","context":[]}', '{oops'].join('\n');
    const { records, problems } = parseDecisionRecords(text, 'd.ndjson');
    expect(records.map((r) => r.line)).toEqual([1]);
    expect(problems.map((p) => p.message)).toEqual([
      'd.ndjson:3: record x: time: expected an ISO 8601 time',
      'd.ndjson:4: requestId: expected a non-empty string (is this a GET /v1/decisions export?)',
      'd.ndjson:5: expected a JSON object (one decision record per line), got an array',
      'd.ndjson:6: record y: context: expected an object',
      'd.ndjson:7:2: invalid JSON: unexpected character "o" (expected a string key)',
    ]);
  });

  it('fills the lists a minimal record leaves out', () => {
    const { records } = parseDecisionRecords('{"requestId":"a","decision":"allow","time":"2026-11-20T12:00:00Z"}\n', 'd.ndjson');
    expect(records[0].record).toMatchObject({ subject: {}, decidingRules: [], matchedRules: [], reasons: [], tags: {}, bundle: null });
  });
});

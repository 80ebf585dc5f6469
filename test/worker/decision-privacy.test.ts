// Prompt privacy and masked fields in stored decision records (real DecisionLog shards).
import { env, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { decidingRules, decisionRecordInput } from '../../src/durable/decision-input';
import { SHARDS, shardName } from '../../src/durable/decision-shards';
import { queryDecisions, recordDecision } from '../../src/durable/decisions-client';
import type { DecisionsEnv } from '../../src/durable/env';
import type { Decision } from '../../src/policy/types';

const baseEnv = env as unknown as DecisionsEnv;
const PROMPT = 'My card is 4111 1111 1111 1111, email bob@example.com — summarise my statement';

async function sha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

function context(team: string) {
  return {
    llm: { model: 'gpt-4o', prompt: PROMPT, estimatedCost: 0.01 },
    user: { id: 'bob', email: 'bob@example.com' },
    team: { id: team },
    metadata: { ip: '203.0.113.9', ticket: 'T-1' },
  };
}

/** The raw row text in the shards: what is on disk, not what the API shows. */
async function storedText(requestId: string): Promise<string> {
  const rows: unknown[] = [];
  for (let shard = 0; shard < SHARDS; shard++) {
    const stub = baseEnv.DECISIONS.get(baseEnv.DECISIONS.idFromName(shardName(shard)));
    rows.push(...(await runInDurableObject(stub, (_, state) =>
      state.storage.sql.exec('SELECT * FROM decision_records WHERE request_id = ?', requestId).toArray(),
    )));
  }
  expect(rows).toHaveLength(1);
  return JSON.stringify(rows);
}

describe('decision record privacy', () => {
  it('keeps only a hash and the byte size of the prompt by default', async () => {
    const ok = await recordDecision(baseEnv, { requestId: 'priv-1', source: 'proxy', decision: 'allow', context: context('priv-team-1') });
    expect(ok).toBe(true);
    const [record] = (await queryDecisions(baseEnv, { team: 'priv-team-1' })).records;
    expect(record.prompt).toEqual({ sha256: await sha256Hex(PROMPT), bytes: new TextEncoder().encode(PROMPT).byteLength });
    expect(record.context).toEqual({
      llm: { model: 'gpt-4o', estimatedCost: 0.01 },
      user: { id: 'bob', email: 'bob@example.com' },
      team: { id: 'priv-team-1' },
      metadata: { ip: '203.0.113.9', ticket: 'T-1' },
    });
    const raw = await storedText('priv-1');
    expect(raw).not.toContain('4111');
    expect(raw).not.toContain('summarise');
  });

  it('hashes chat messages the same way', async () => {
    const messages = [{ role: 'user', content: 'secret plan' }];
    await recordDecision(baseEnv, { requestId: 'priv-2', source: 'proxy', decision: 'allow', context: { team: { id: 'priv-team-2' }, llm: { messages } } });
    const [record] = (await queryDecisions(baseEnv, { team: 'priv-team-2' })).records;
    expect(record.prompt?.sha256).toBe(await sha256Hex(JSON.stringify(messages)));
    expect(record.prompt?.text).toBeUndefined();
    expect(await storedText('priv-2')).not.toContain('secret plan');
  });

  it('masks MASK_FIELDS paths, subject ids included', async () => {
    const masking = { ...baseEnv, MASK_FIELDS: 'user.email, metadata.ip,user.id,absent.path' };
    await recordDecision(masking, { requestId: 'priv-3', source: 'evaluate', decision: 'deny', context: context('priv-team-3') });
    const [record] = (await queryDecisions(baseEnv, { team: 'priv-team-3' })).records;
    expect(record.subject).toEqual({ userId: '***', teamId: 'priv-team-3' });
    expect(record.context).toMatchObject({ user: { id: '***', email: '***' }, metadata: { ip: '***', ticket: 'T-1' } });
    expect(record.context).not.toHaveProperty('absent');
    const raw = await storedText('priv-3');
    expect(raw).not.toContain('bob@example.com');
    expect(raw).not.toContain('203.0.113.9');
  });

  it('reasons that interpolate masked fields or the prompt are stored masked', async () => {
    const masking = { ...baseEnv, MASK_FIELDS: 'user.email' };
    await recordDecision(masking, {
      requestId: 'priv-6', source: 'evaluate', decision: 'deny', context: context('priv-team-6'),
      reasons: ['blocked for bob@example.com', `prompt was: ${PROMPT}`, 'ticket T-1'],
    });
    const [record] = (await queryDecisions(baseEnv, { team: 'priv-team-6' })).records;
    expect(record.reasons).toEqual(['blocked for ***', 'prompt was: [prompt]', 'ticket T-1']);
    const raw = await storedText('priv-6');
    expect(raw).not.toContain('bob@example.com');
    expect(raw).not.toContain(PROMPT);
  });

  it('stores prompt text only when STORE_PROMPTS=true', async () => {
    const storing = { ...baseEnv, STORE_PROMPTS: 'true' };
    await recordDecision(storing, { requestId: 'priv-4', source: 'proxy', decision: 'allow', context: context('priv-team-4') });
    const [record] = (await queryDecisions(baseEnv, { team: 'priv-team-4' })).records;
    expect(record.prompt?.text).toBe(PROMPT);
    expect((record.context as { llm: { prompt: string } }).llm.prompt).toBe(PROMPT);
  });

  it('leaves out a context over 64 KiB but not for its prompt, which is only hashed', async () => {
    const long = 'word '.repeat(30_000);
    const messages = [{ role: 'user', content: long }];
    await recordDecision(baseEnv, { requestId: 'priv-7', source: 'evaluate', decision: 'allow', context: { team: { id: 'priv-team-7' }, llm: { model: 'gpt-4o', messages } } });
    const [kept] = (await queryDecisions(baseEnv, { team: 'priv-team-7' })).records;
    expect(kept.context).toEqual({ team: { id: 'priv-team-7' }, llm: { model: 'gpt-4o' } });
    expect(kept.prompt).toEqual({ sha256: await sha256Hex(JSON.stringify(messages)), bytes: JSON.stringify(messages).length });

    await recordDecision(baseEnv, { requestId: 'priv-8', source: 'evaluate', decision: 'deny', reasons: ['r'], context: { team: { id: 'priv-team-8' }, metadata: { notes: long } } });
    const [omitted] = (await queryDecisions(baseEnv, { team: 'priv-team-8' })).records;
    expect(omitted.context).toBeUndefined();
    expect(omitted).toMatchObject({ contextOmitted: 'too_large', decision: 'deny', reasons: ['r'], subject: { teamId: 'priv-team-8' } });
  });

  it('judges the size after masking: a large masked field does not cost the context', async () => {
    const masking = { ...baseEnv, MASK_FIELDS: 'metadata.notes' };
    await recordDecision(masking, { requestId: 'priv-9', source: 'evaluate', decision: 'allow', context: { team: { id: 'priv-team-9' }, metadata: { notes: 'x'.repeat(70_000), ticket: 'T-9' } } });
    const [record] = (await queryDecisions(baseEnv, { team: 'priv-team-9' })).records;
    expect(record.context).toEqual({ team: { id: 'priv-team-9' }, metadata: { notes: '***', ticket: 'T-9' } });
  });

  it('stores the context as JSON would: dates as ISO strings, undefined fields left out', async () => {
    const at = new Date('2026-12-02T10:00:00.000Z');
    await recordDecision(baseEnv, { requestId: 'priv-10', source: 'evaluate', decision: 'allow', context: { team: { id: 'priv-team-10' }, metadata: { at, gone: undefined, list: [1, undefined, 'a'] } } });
    const [record] = (await queryDecisions(baseEnv, { team: 'priv-team-10' })).records;
    expect(record.context).toEqual({ team: { id: 'priv-team-10' }, metadata: { at: '2026-12-02T10:00:00.000Z', list: [1, null, 'a'] } });
  });

  it('does not reject when a record cannot be stored', async () => {
    expect(await recordDecision(baseEnv, { requestId: 'priv-5', source: 'proxy', decision: 'allow', time: 'not a date' })).toBe(false);
  });
});

describe('decisionRecordInput', () => {
  const decision: Decision = {
    decision: 'deny',
    allowed: false,
    reasons: ['too expensive'],
    matchedRules: [
      { policyId: 'cost', ruleId: 'deny-expensive', decision: 'deny', priority: 100 },
      { policyId: 'cost', ruleId: 'allow-admins', decision: 'allow', priority: 100 },
      { policyId: 'base', ruleId: 'deny-all', decision: 'deny', priority: 0 },
      { policyId: 'obs', ruleId: 'tag', decision: 'modify', priority: 300 },
    ],
    warnings: [],
    obligations: [{ type: 'tag', key: 'cost-center', value: 'cc-7' }],
    bundle: { version: '1.4.0', hash: 'sha256:xyz' },
    evaluationMicros: 3,
  };

  it('names the deciding rules of the top authoritative tier', () => {
    expect(decidingRules(decision)).toEqual(['cost/deny-expensive']);
    expect(decidingRules({ ...decision, decision: 'allow', matchedRules: [] })).toEqual([]);
  });

  it('carries the decision, bundle, tag obligations and extras', () => {
    expect(decisionRecordInput(decision, { requestId: 'r', source: 'evaluate', latencyMs: 4, tags: { env: 'prod' } })).toMatchObject({
      requestId: 'r',
      decision: 'deny',
      decidingRules: ['cost/deny-expensive'],
      bundle: { version: '1.4.0', hash: 'sha256:xyz' },
      tags: { 'cost-center': 'cc-7', env: 'prod' },
      latencyMs: 4,
    });
  });
});

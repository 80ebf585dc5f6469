// /v1/evaluate on llm.canonicalModel: an allowlist written once per model covers its aliases and
// dated snapshots, and a caller cannot name an approved model for an unapproved one.
import { beforeAll, describe, expect, it } from 'vitest';
import { call, json } from './support/http';
import { ADMIN, publish } from './support/publish';

const POLICIES = `
metadata: { id: allowlist }
rules:
  - id: deny-unapproved-model
    condition: { operator: not_in, field: llm.canonicalModel, value: [gpt-4o-mini, claude-3-5-haiku-latest, text-embedding-3-small] }
    action: { decision: deny, reason: "model {{llm.model}} is not approved" }
`;

let key: string;

beforeAll(async () => {
  await publish(POLICIES, '7.3.0');
  key = (await json(await call('/v1/keys', { token: ADMIN, body: { subject: { team: { id: 'canon-team' } } } }))).key as string;
});

async function decisionFor(llm: object): Promise<string> {
  const res = await call('/v1/evaluate', { token: key, body: { context: { llm } } });
  expect(res.status).toBe(200);
  return (await json(res)).decision as string;
}

describe('llm.canonicalModel on the edge', () => {
  it('allows the aliases and dated ids of an approved model, with or without a prompt', async () => {
    expect(await decisionFor({ provider: 'anthropic', model: 'claude-3-5-haiku-latest', prompt: 'Hello' })).toBe('allow');
    expect(await decisionFor({ provider: 'anthropic', model: 'claude-3-5-haiku-20241022' })).toBe('allow');
    expect(await decisionFor({ provider: 'openai', model: 'gpt-4o-mini-2024-07-18' })).toBe('allow');
    expect(await decisionFor({ provider: 'openai', model: 'text-embedding-3-small' })).toBe('allow');
  });

  it('denies other models, and models the price table does not know', async () => {
    expect(await decisionFor({ provider: 'openai', model: 'gpt-4o' })).toBe('deny');
    expect(await decisionFor({ provider: 'openai', model: 'my-own-model' })).toBe('deny');
  });

  it('ignores a canonicalModel the caller sends', async () => {
    expect(await decisionFor({ provider: 'openai', model: 'gpt-4-32k', canonicalModel: 'gpt-4o-mini' })).toBe('deny');
    expect(await decisionFor({ provider: 'openai', model: 'gpt-4-32k', canonicalModel: 'gpt-4o-mini', prompt: 'Hi' })).toBe('deny');
  });
});

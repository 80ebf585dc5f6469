// The operator's view: /healthz, /v1/bundles, /v1/bundles/active, /metrics.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Bundle } from '../../src/policy/types';
import { call, json } from './support/http';
import { ADMIN, BASE_POLICIES, buildBundle, putBundle, putPointer } from './support/publish';

let stable: Bundle;

beforeAll(async () => {
  stable = await buildBundle(BASE_POLICIES, '1.2.0');
  await putBundle(await buildBundle(BASE_POLICIES, '1.10.0'));
  await putBundle(stable);
  await putBundle(await buildBundle(BASE_POLICIES, '1.9.0'));
  await putPointer({ stable: '1.2.0', sequence: 3, actor: 'ci' });
});

describe('operations routes', () => {
  it('/healthz answers without auth with the running version', async () => {
    const res = await call('/healthz');
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({ status: 'ok', bundle: { version: '1.2.0', hash: stable.hash } });
    expect(res.headers.get('x-request-id')).toBeTruthy();
  });

  it('/v1/bundles lists versions in semver order', async () => {
    expect(await json(await call('/v1/bundles', { token: ADMIN }))).toEqual({ versions: ['1.2.0', '1.9.0', '1.10.0'] });
  });

  it('/v1/bundles/active shows the stored pointer and what this isolate runs', async () => {
    const body = await json(await call('/v1/bundles/active', { token: ADMIN }));
    expect(body.pointer).toMatchObject({ valid: true, stable: '1.2.0', sequence: 3, actor: 'ci', canaryPercent: 0 });
    expect(body.pointer.signature).toBeUndefined();
    expect(body.running).toEqual({ sequence: 3, stable: { version: '1.2.0', hash: stable.hash } });
  });

  it('/metrics counts decisions by outcome, times them, and names the bundle', async () => {
    await call('/v1/evaluate', { token: ADMIN, body: { context: { team: { tier: 'free' }, llm: { model: 'gpt-4o' } } } });
    await call('/v1/evaluate', { token: ADMIN, body: { context: {} } });
    await call('/v1/evaluate', { token: ADMIN, body: { context: {} } });
    const res = await call('/metrics', { token: ADMIN });
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toContain('llm_policy_decisions_total{decision="deny",bundle="stable"} 1');
    expect(text).toContain('llm_policy_decisions_total{decision="allow",bundle="stable"} 2');
    expect(text).toContain('llm_policy_evaluate_duration_seconds_count 3');
    expect(text).toMatch(/llm_policy_evaluate_duration_seconds_bucket\{le="\+Inf"\} 3/);
    expect(text).toContain(`llm_policy_bundle_info{role="stable",version="1.2.0",hash="${stable.hash}"} 1`);
  });
});

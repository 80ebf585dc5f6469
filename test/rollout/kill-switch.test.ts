// The unsigned kill switch can only send the pointer's current canary (at its sequence) to 0%:
// anything naming another version, an older sequence, or carrying other fields is ignored.
import { describe, expect, it } from 'vitest';
import { judgeKillSwitch, newKillSwitch } from '../../src/rollout/kill-switch';

const POINTER = { stable: '1.0.0', canary: '1.1.0', canaryPercent: 10, sequence: 7 };
const valid = newKillSwitch({ canary: '1.1.0', sequence: 7, stoppedAt: '2026-11-20T10:00:00.000Z', reason: 'critical gate breach', gates: [] });
const text = (v: unknown) => JSON.stringify(v);

describe('judgeKillSwitch', () => {
  it('is none without a value', () => {
    expect(judgeKillSwitch(POINTER, null)).toEqual({ state: 'none' });
  });

  it('is active for the pointer canary at the pointer sequence', () => {
    expect(judgeKillSwitch(POINTER, text(valid))).toEqual({ state: 'active', killSwitch: valid });
  });

  it.each([
    ['the stable version', { ...valid, canary: '1.0.0' }, /names 1\.0\.0, not the pointer's canary 1\.1\.0/],
    ['some other version', { ...valid, canary: '9.9.9' }, /names 9\.9\.9/],
    ['an older pointer sequence', { ...valid, sequence: 6 }, /^superseded: it stopped 1\.1\.0 at pointer sequence 6, and the pointer has moved on to 7$/],
    ['a newer pointer sequence', { ...valid, sequence: 8 }, /^it is for pointer sequence 8, newer than this pointer \(7\)$/],
  ])('ignores one naming %s', (_name, doc, why) => {
    const judged = judgeKillSwitch(POINTER, text(doc));
    expect(judged.state).toBe('ignored');
    expect(judged.state === 'ignored' && judged.why).toMatch(why);
  });

  it.each([
    ['a canary percent (widening)', { ...valid, canaryPercent: 100 }],
    ['a stable to switch to', { ...valid, stable: '1.1.0' }],
    ['another actor', { ...valid, actor: 'someone' }],
    ['another format', { ...valid, format: 'llm-policy-killswitch/v2' }],
    ['no sequence', { ...valid, sequence: undefined }],
  ])('ignores one carrying %s, as a whole', (_name, doc) => {
    expect(judgeKillSwitch(POINTER, text(doc))).toMatchObject({ state: 'ignored', why: expect.stringMatching(/malformed/) });
  });

  it('ignores text that is not JSON, and any kill switch when no canary runs', () => {
    expect(judgeKillSwitch(POINTER, '{"canary":')).toEqual({ state: 'ignored', why: 'the kill switch is not JSON' });
    expect(judgeKillSwitch({ stable: '1.0.0', canaryPercent: 0, sequence: 7 }, text(valid))).toMatchObject({ state: 'ignored', why: expect.stringMatching(/runs no canary/) });
    expect(judgeKillSwitch({ stable: '1.0.0', canaryPercent: 0, sequence: 8 }, text(valid))).toMatchObject({ state: 'ignored', why: expect.stringMatching(/^superseded/) });
  });
});

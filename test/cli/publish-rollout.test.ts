import { describe, expect, it } from 'vitest';
import { previousStable, promote, publishCanary, publishStable, rollback, type HistoryEntry, type RolloutAction, type RolloutState } from '../../src/publish/rollout';

const stable = (v: string): RolloutState => ({ stable: v, canaryPercent: 0 });
const canary = (s: string, c: string, p: number): RolloutState => ({ stable: s, canary: c, canaryPercent: p });

/** A history built the way movePointer builds it: each entry starts where the last ended. */
function historyOf(...steps: Array<[RolloutAction, RolloutState]>): HistoryEntry[] {
  let from: RolloutState | null = null;
  return steps.map(([action, to], i) => {
    const entry: HistoryEntry = { sequence: i + 1, at: `2026-01-01T00:00:0${i}Z`, actor: 't', action, from, to };
    from = to;
    return entry;
  });
}

describe('publish', () => {
  it('a stable publish clears any canary', () => {
    expect(publishStable('1.1.0')).toEqual({ stable: '1.1.0', canaryPercent: 0 });
  });

  it('a canary keeps the stable and replaces a canary in progress', () => {
    expect(publishCanary(stable('1.0.0'), '1.1.0', 10)).toEqual(canary('1.0.0', '1.1.0', 10));
    expect(publishCanary(canary('1.0.0', '1.1.0', 50), '1.2.0', 5)).toEqual(canary('1.0.0', '1.2.0', 5));
  });

  it('a canary needs a stable to run beside', () => {
    expect(() => publishCanary(null, '0.1.0', 10)).toThrow(/no stable version yet/);
  });

  it('a canary percent is a whole number from 1 to 99', () => {
    for (const bad of [0, 100, 12.5, -3]) expect(() => publishCanary(stable('1.0.0'), '1.1.0', bad)).toThrow(/1 to 99/);
  });
});

describe('promote', () => {
  it('moves 10 → 50 → 100, and at 100 the canary becomes the stable', () => {
    let state = canary('1.0.0', '1.1.0', 10);
    state = promote(state);
    expect(state).toEqual(canary('1.0.0', '1.1.0', 50));
    state = promote(state);
    expect(state).toEqual(stable('1.1.0'));
  });

  it('from a percent between steps goes to the next step', () => {
    expect(promote(canary('1.0.0', '1.1.0', 5))).toEqual(canary('1.0.0', '1.1.0', 10));
    expect(promote(canary('1.0.0', '1.1.0', 25))).toEqual(canary('1.0.0', '1.1.0', 50));
  });

  it('--to sets the percent, and only forward', () => {
    expect(promote(canary('1.0.0', '1.1.0', 10), 30)).toEqual(canary('1.0.0', '1.1.0', 30));
    expect(promote(canary('1.0.0', '1.1.0', 10), 100)).toEqual(stable('1.1.0'));
    expect(() => promote(canary('1.0.0', '1.1.0', 50), 50)).toThrow(/would not move it forward/);
    expect(() => promote(canary('1.0.0', '1.1.0', 50), 101)).toThrow(/1 to 100/);
  });

  it('needs a canary', () => {
    expect(() => promote(stable('1.0.0'))).toThrow('there is no canary to promote');
    expect(() => promote(null)).toThrow('there is no canary to promote');
  });
});

describe('rollback', () => {
  it('drops the canary first, keeping the stable', () => {
    expect(rollback(canary('1.0.0', '1.1.0', 50), [])).toEqual(stable('1.0.0'));
  });

  it('without a canary returns to the previous stable', () => {
    const history = historyOf(['publish', stable('1.0.0')], ['publish', stable('1.1.0')]);
    expect(rollback(stable('1.1.0'), history)).toEqual(stable('1.0.0'));
  });

  it('a promoted canary counts as a stable', () => {
    const history = historyOf(['publish', stable('1.0.0')], ['canary', canary('1.0.0', '1.1.0', 10)], ['promote', canary('1.0.0', '1.1.0', 50)], ['promote', stable('1.1.0')]);
    expect(rollback(stable('1.1.0'), history)).toEqual(stable('1.0.0'));
  });

  it('rolling back twice goes two versions back, not back and forth', () => {
    const history = historyOf(['publish', stable('1.0.0')], ['publish', stable('1.1.0')], ['publish', stable('1.2.0')], ['rollback', stable('1.1.0')]);
    expect(previousStable(history, '1.1.0')).toBe('1.0.0');
    const more = historyOf(['publish', stable('1.0.0')], ['publish', stable('1.1.0')], ['publish', stable('1.2.0')], ['rollback', stable('1.1.0')], ['rollback', stable('1.0.0')]);
    expect(() => rollback(stable('1.0.0'), more)).toThrow('there is no stable version before 1.0.0 to roll back to');
  });

  it('after a rollback and a new publish, rolls back to the stable before the new one', () => {
    const history = historyOf(['publish', stable('1.0.0')], ['publish', stable('1.1.0')], ['rollback', stable('1.0.0')], ['publish', stable('1.2.0')]);
    expect(previousStable(history, '1.2.0')).toBe('1.0.0');
  });

  it('a rolled-back canary does not count as a stable', () => {
    const history = historyOf(['publish', stable('1.0.0')], ['canary', canary('1.0.0', '1.1.0', 10)], ['rollback', stable('1.0.0')], ['publish', stable('1.2.0')]);
    expect(previousStable(history, '1.2.0')).toBe('1.0.0');
  });

  it('has nothing to roll back to on the first version or an empty KV', () => {
    expect(() => rollback(stable('0.1.0'), historyOf(['publish', stable('0.1.0')]))).toThrow(/no stable version before 0.1.0/);
    expect(() => rollback(null, [])).toThrow(/nothing to roll back/);
  });
});

// Calendar windows in UTC. A counter's usage belongs to the window that contains the moment it
// was reserved; the next window starts from zero at the boundary.
import type { Window } from '../policy/types';

export interface WindowBounds {
  kind: Window;
  /** Inclusive start, epoch ms. */
  start: number;
  /** Exclusive end (the reset moment), epoch ms. */
  end: number;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export const WINDOW_KINDS: readonly Window[] = ['minute', 'hour', 'day', 'month'];

export function windowAt(kind: Window, nowMs: number): WindowBounds {
  switch (kind) {
    case 'minute':
      return fixed(kind, nowMs, MINUTE);
    case 'hour':
      return fixed(kind, nowMs, HOUR);
    case 'day':
      return fixed(kind, nowMs, DAY);
    case 'month': {
      const d = new Date(nowMs);
      const start = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
      const end = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
      return { kind, start, end };
    }
    default:
      throw new RangeError(`unknown window ${String(kind)}`);
  }
}

// minute, hour and day boundaries are whole multiples of their length since the epoch (UTC has no DST).
function fixed(kind: Window, nowMs: number, length: number): WindowBounds {
  const start = Math.floor(nowMs / length) * length;
  return { kind, start, end: start + length };
}

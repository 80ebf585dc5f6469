// Calling the provider: the URL (base + endpoint path), and one abort
// controller that fires on the deadline (UPSTREAM_TIMEOUT_MS: until the answer is complete for
// JSON, until the next chunk for streams) or when the caller goes away.
import type { ProviderName } from './providers/types';

export const DEFAULT_UPSTREAM_TIMEOUT_MS = 60_000;

export interface ProviderTarget {
  baseUrl: string;
  key: string | undefined;
}

export function providerTarget(env: Env, provider: ProviderName): ProviderTarget {
  if (provider === 'anthropic') return { baseUrl: env.ANTHROPIC_BASE_URL || 'https://api.anthropic.com', key: env.ANTHROPIC_API_KEY || undefined };
  return { baseUrl: env.OPENAI_BASE_URL || 'https://api.openai.com', key: env.OPENAI_API_KEY || undefined };
}

export function upstreamTimeoutMs(env: Env): number {
  const text = (env as Env & { UPSTREAM_TIMEOUT_MS?: string }).UPSTREAM_TIMEOUT_MS;
  const n = Number(text);
  return text !== undefined && text.trim() !== '' && Number.isFinite(n) && n > 0 ? n : DEFAULT_UPSTREAM_TIMEOUT_MS;
}

/**
 * base + path. The caller's query string is never forwarded: no route we proxy defines one, and
 * it would reach the provider under our key. A base that already ends in `/v1` (the SDKs' own
 * convention, e.g. `https://api.openai.com/v1`) does not get a second `/v1`.
 */
export function upstreamUrl(baseUrl: string, path: string): string {
  let base = baseUrl.replace(/\/+$/, '');
  if (base.endsWith('/v1') && path.startsWith('/v1/')) base = base.slice(0, -3);
  return `${base}${path}`;
}

export type AbortCause = 'timeout' | 'client' | 'proxy';

/**
 * The upstream call's abort controller, with its deadline timer. A stream restarts the deadline
 * on every chunk; under nodejs_compat setTimeout and clearTimeout are Node's timers code, not
 * free, so a restart only notes the time, and the one timer, when it fires early, sets itself
 * again for the time left (workerd's clock moves on I/O, which is what a chunk is).
 */
export class UpstreamDeadline {
  private readonly controller = new AbortController();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private causeValue: AbortCause | undefined;
  private lastActive = 0;

  constructor(private readonly ms: number, client?: AbortSignal) {
    if (client?.aborted) this.abort('client');
    else client?.addEventListener('abort', () => this.abort('client'), { once: true });
    this.restart();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Why the call was aborted, if it was. */
  get cause(): AbortCause | undefined {
    return this.causeValue;
  }

  /** Starts the deadline over (a stream chunk arrived). */
  restart(): void {
    if (this.causeValue !== undefined) return;
    this.lastActive = Date.now();
    if (this.timer === undefined) this.arm(this.ms);
  }

  stop(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  abort(cause: AbortCause): void {
    if (this.causeValue !== undefined) return;
    this.causeValue = cause;
    this.stop();
    this.controller.abort(new DOMException(`upstream call aborted (${cause})`, cause === 'timeout' ? 'TimeoutError' : 'AbortError'));
  }

  private arm(ms: number): void {
    this.timer = setTimeout(() => this.expire(), ms);
  }

  private expire(): void {
    this.timer = undefined;
    const idle = Date.now() - this.lastActive;
    if (idle >= this.ms) this.abort('timeout');
    else this.arm(this.ms - idle);
  }
}

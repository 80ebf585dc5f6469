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

/** The upstream call's abort controller, with its deadline timer. */
export class UpstreamDeadline {
  private readonly controller = new AbortController();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private causeValue: AbortCause | undefined;

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
    this.stop();
    if (this.causeValue === undefined) this.timer = setTimeout(() => this.abort('timeout'), this.ms);
  }

  stop(): void {
    // Under nodejs_compat clearTimeout is Node's timers code: not free, so not called for nothing.
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  abort(cause: AbortCause): void {
    if (this.causeValue !== undefined) return;
    this.causeValue = cause;
    this.stop();
    this.controller.abort(new DOMException(`upstream call aborted (${cause})`, cause === 'timeout' ? 'TimeoutError' : 'AbortError'));
  }
}

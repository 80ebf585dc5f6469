// Requests through the worker's real fetch entry (the same module the runtime serves).
import { createExecutionContext, env, SELF, waitOnExecutionContext } from 'cloudflare:test';
import worker from '../../../src/worker/index';

export interface CallOptions {
  method?: string;
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** Host part of the URL; local mode only honours loopback hosts. */
  origin?: string;
}

export function call(path: string, opts: CallOptions = {}): Promise<Response> {
  const headers = new Headers(opts.headers);
  if (opts.token) headers.set('authorization', `Bearer ${opts.token}`);
  let body: string | undefined;
  if (opts.body !== undefined) {
    body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
    headers.set('content-type', 'application/json');
  }
  const method = opts.method ?? (body === undefined ? 'GET' : 'POST');
  return SELF.fetch(`${opts.origin ?? 'https://policy.example.com'}${path}`, { method, headers, body });
}

export async function json<T = Record<string, any>>(res: Response): Promise<T> {
  return (await res.json()) as T;
}

/**
 * A request through the worker's own fetch with some bindings changed, as a worker deployed with
 * other vars would see it (FAIL_OPEN, missing secrets ...). KV stays the real local namespace.
 */
export async function fetchWithEnv(req: Request, overrides: Partial<Cloudflare.Env>): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await worker.fetch(req, { ...env, ...overrides }, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

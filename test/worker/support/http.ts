// Requests through the worker's real fetch entry (the same module the runtime serves).
import { SELF } from 'cloudflare:test';

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

// The official SDKs pointed at the proxy through the worker's real fetch entry, client keys made
// through the admin API, and the fake upstream's record of what it received.
import Anthropic from '@anthropic-ai/sdk';
import { SELF, env } from 'cloudflare:test';
import OpenAI from 'openai';
import { call, json } from '../../worker/support/http';
import { ADMIN } from '../../worker/support/publish';
import type { ReceivedRequest } from './fake-upstream';

export const ORIGIN = 'http://local';
const viaWorker = (url: string | URL | Request, init?: RequestInit) => SELF.fetch(url as string, init);

/** Retries off: a test sees each answer as it came. */
export function openai(apiKey: string, headers: Record<string, string> = {}): OpenAI {
  return new OpenAI({ apiKey, baseURL: `${ORIGIN}/proxy/openai/v1`, fetch: viaWorker as never, maxRetries: 0, defaultHeaders: headers });
}

export function anthropic(apiKey: string, headers: Record<string, string> = {}): Anthropic {
  return new Anthropic({ apiKey, baseURL: `${ORIGIN}/proxy/anthropic`, fetch: viaWorker as never, maxRetries: 0, defaultHeaders: headers });
}

export interface Subject {
  user?: { id: string };
  team?: { id: string; tier?: string };
  project?: { id: string; environment?: string };
}

/** A new client key for `subject` (POST /v1/keys with the admin token). */
export async function clientKey(subject: Subject): Promise<string> {
  const res = await call('/v1/keys', { token: ADMIN, body: { subject } });
  if (res.status !== 201 && res.status !== 200) throw new Error(`key creation failed: ${res.status} ${await res.text()}`);
  return (await json<{ key: string }>(res)).key;
}

/** A fresh trace id: the fake upstream groups what it receives by it. */
export function newTrace(): string {
  return crypto.randomUUID();
}

/** The requests the fake upstream received with this trace. */
export async function received(trace: string): Promise<ReceivedRequest[]> {
  const res = await fetch(`${env.OPENAI_BASE_URL}/__received?trace=${encodeURIComponent(trace)}`);
  return (await res.json()) as ReceivedRequest[];
}

/** Waits until `check` holds (settlement runs after the response, under waitUntil). */
export async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean, what: string): Promise<T> {
  let last: T | undefined;
  for (let i = 0; i < 200; i++) {
    last = await read();
    if (check(last)) return last;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`${what}: still ${JSON.stringify(last)}`);
}

// Calls to the worker. The admin token lives in sessionStorage only (gone when the tab closes) and
// travels as a bearer header, never in a URL. Failures become one ApiFailure with a sentence a
// person can act on: the worker is unreachable, the token is wrong, or the worker's own message.
const TOKEN_KEY = 'llm-policy-studio.admin-token';

export function savedToken(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function saveToken(token: string | null): void {
  if (token === null) sessionStorage.removeItem(TOKEN_KEY);
  else sessionStorage.setItem(TOKEN_KEY, token);
}

export type FailureKind = 'unreachable' | 'unauthorized' | 'forbidden' | 'missing' | 'refused';

export class ApiFailure extends Error {
  constructor(readonly kind: FailureKind, message: string, readonly status = 0, readonly code?: string) {
    super(message);
  }
}

/** Signed-out listeners: a 401 anywhere means the token stopped working. */
const onUnauthorized = new Set<() => void>();
export function whenUnauthorized(listener: () => void): () => void {
  onUnauthorized.add(listener);
  return () => onUnauthorized.delete(listener);
}

export async function api<T = any>(method: 'GET' | 'POST', path: string, body?: unknown, token = savedToken()): Promise<T> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiFailure('unreachable', 'the worker does not answer: is it running (npm run dev)?');
  }
  const text = await res.text();
  let parsed: any;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    throw new ApiFailure('unreachable', `the worker answered ${res.status} with something that is not JSON`, res.status);
  }
  // evaluate answers 503 with a Decision when no bundle is published: still a decision to show.
  if (res.ok || (res.status === 503 && parsed?.decision)) return parsed as T;
  const code: string | undefined = parsed?.error?.code;
  const message: string = parsed?.error?.message ?? `HTTP ${res.status}`;
  if (res.status === 401) {
    onUnauthorized.forEach((f) => f());
    throw new ApiFailure('unauthorized', 'the worker refused this token (wrong or expired admin token)', 401, code);
  }
  if (res.status === 403) throw new ApiFailure('forbidden', 'this token is a client key; the Studio needs the admin token', 403, code);
  if (res.status === 404 && code === 'not_found' && message.startsWith('no route')) {
    throw new ApiFailure('missing', `this worker has no ${method} ${path.split('?')[0]} yet`, 404, code);
  }
  throw new ApiFailure('refused', message, res.status, code);
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

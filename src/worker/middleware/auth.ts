// Who is calling. `Authorization: Bearer <token>` (or `x-api-key` where a route allows it, as
// Anthropic clients send) is either the admin token, which may call every route, or a client key,
// which may call client routes only. No or unknown token: 401; client key on an admin route: 403.
import { noteKeyUse } from '../auth/key-use';
import { waitUntilOf } from '../http/wait-until';
import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv, Principal } from '../app-env';
import type { Config } from '../config';
import { clientKeys } from '../auth/client-keys';
import { digestsEqual, secretDigest } from '../auth/constant-time';
import { tokenDigest } from '../auth/token-digest';
import { DEV_ADMIN_TOKEN, DEV_CLIENT_KEY, DEV_KEY_ID, DEV_SUBJECT, isLocalMode } from '../auth/local-mode';
import { ApiError } from '../http/api-error';

// Tokens we issue are 47 characters; anything far longer is refused without hashing or KV.
const MAX_TOKEN_LENGTH = 512;

export interface AuthOptions {
  /** Also accept the token in `x-api-key` (the Anthropic proxy route). */
  apiKeyHeader?: boolean;
}

/** Client keys and the admin token. */
export function requireClient(opts: AuthOptions = {}): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const principal = await identify(c, bearerToken(c.req.raw.headers, opts));
    if (!principal) throw unauthorized();
    c.set('principal', principal);
    await next();
  };
}

/** The admin token only. */
export function requireAdmin(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const principal = await identify(c, bearerToken(c.req.raw.headers, {}));
    if (!principal) throw unauthorized();
    c.set('principal', principal);
    if (principal.kind !== 'admin') throw new ApiError(403, 'forbidden', 'this route needs the admin token; a client key cannot call it');
    await next();
  };
}

function identify(c: Context<AppEnv>, token: string | undefined): Promise<Principal | undefined> {
  return principalOf(c.env, c.get('config'), c.req.url, token, waitUntilOf(c) ?? ((p) => void p));
}

/** Who `token` is: the admin, a client key's subject, or nobody (undefined). */
export async function principalOf(env: Env, config: Config, url: string, token: string | undefined, waitUntil: (p: Promise<unknown>) => void): Promise<Principal | undefined> {
  if (!token || token.length > MAX_TOKEN_LENGTH) return undefined;
  const { bytes: digest, hex } = await tokenDigest(token);
  if (config.adminToken && digestsEqual(digest, await secretDigest(config.adminToken))) return { kind: 'admin' };
  if (isLocalMode(config.localDevVar, url)) {
    if (digestsEqual(digest, await secretDigest(DEV_ADMIN_TOKEN))) return { kind: 'admin' };
    if (digestsEqual(digest, await secretDigest(DEV_CLIENT_KEY))) return { kind: 'client', keyId: DEV_KEY_ID, subject: DEV_SUBJECT };
  }
  const record = await clientKeys.lookupHash(env.BUNDLES, hex);
  if (!record) return undefined;
  noteKeyUse(env.BUNDLES, record.id, Date.now(), waitUntil);
  return { kind: 'client', keyId: record.id, subject: record.subject };
}

/** The bearer token of `Authorization` (or, where allowed, `x-api-key`). */
export function bearerToken(headers: Headers, opts: AuthOptions): string | undefined {
  const header = headers.get('authorization');
  if (header) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    return match ? match[1] : undefined;
  }
  return opts.apiKeyHeader ? headers.get('x-api-key')?.trim() || undefined : undefined;
}

export function unauthorized(): ApiError {
  return new ApiError(401, 'unauthorized', 'missing or unknown API key; send Authorization: Bearer <key>');
}

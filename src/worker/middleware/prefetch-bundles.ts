// Starts getting the policy bundles before auth runs: in a fresh isolate the pointer and bundle
// KV reads then overlap the client-key KV read instead of following it. Routes await
// c.var.bundles. The promise never rejects (the loader turns every failure into "keep the last").
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env';
import { loaderFor } from '../bundle/registry';
import { waitUntilOf } from '../http/wait-until';

export function prefetchBundles(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    c.set('bundles', loaderFor(c.env, c.get('config')).get(waitUntilOf(c)));
    await next();
  };
}

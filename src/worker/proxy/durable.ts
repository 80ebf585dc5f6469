// The worker's Env declares its Durable Object namespaces without their classes; these are the
// bindings the durable clients expect (wrangler.toml binds exactly these classes).
import type { DurableEnv } from '../../durable/env';
import type { Env } from '../env';

export function durable(env: Env): DurableEnv {
  return env as unknown as DurableEnv;
}

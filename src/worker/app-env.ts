// The Hono environment of every route: bindings (the generated `Env`, worker-configuration.d.ts
// and env-extra.d.ts) plus what middleware puts on the context.
import type { Subject } from './auth/subject';
import type { ActiveBundles } from './bundle/loader';
import type { Config } from './config';
import type { AccessLine } from './middleware/access-line';

export type Principal = { kind: 'admin' } | { kind: 'client'; keyId: string; subject: Subject };

export interface Vars {
  requestId: string;
  config: Config;
  principal: Principal;
  /** The bundles to decide with, being loaded while auth runs (see middleware/prefetch-bundles.ts). */
  bundles: Promise<ActiveBundles | undefined>;
  /** Extra fields for this request's access log line (decision, bundle version ...). */
  logFields: AccessLine;
}

export type AppEnv = { Bindings: Env; Variables: Vars };

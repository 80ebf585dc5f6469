// What the worker is bound to (wrangler.toml) and the settings it reads from vars and secrets.
// Every var is text; config.ts turns them into typed settings.

import type { StageTwoEnv } from './evaluate/injection-stage-two';

/** Also the settings of injection stage two (evaluate/injection-stage-two.ts): INJECTION_STAGE2*, AI. */
export interface Env extends StageTwoEnv {
  /** Signed bundles, the signed rollout pointer and hashed client keys (interfaces.md "KV layout"). */
  BUNDLES: KVNamespace;
  BUDGETS: DurableObjectNamespace;
  DECISIONS: DurableObjectNamespace;
  VERSION_STATS: DurableObjectNamespace;

  OPENAI_BASE_URL?: string;
  ANTHROPIC_BASE_URL?: string;
  /** How often an isolate re-reads the pointer, in seconds (default 10). */
  POINTER_REFRESH_SECONDS?: string;
  /** "true": with no verified bundle, evaluate allows (with a warning) instead of denying. */
  FAIL_OPEN?: string;
  /** base64url of the raw 32-byte Ed25519 key that bundles and the pointer must be signed with. */
  BUNDLE_PUBLIC_KEY?: string;
  /** Largest accepted request body in bytes (default 1 MiB). */
  MAX_BODY_BYTES?: string;
  /**
   * "true" enables the fixed dev credentials. Only `.dev.vars` (never deployed) and the test config
   * set it, and it is honoured only for requests to a loopback host (see auth/local-mode.ts).
   */
  LOCAL_DEV?: string;
  /** Comma-separated caller headers the proxy may forward besides its allowlist (proxy/headers.ts). */
  PROXY_FORWARD_HEADERS?: string;

  // Secrets (wrangler secret put): never in wrangler.toml.
  ADMIN_TOKEN?: string;
  OPENAI_API_KEY?: string;
  ANTHROPIC_API_KEY?: string;
}

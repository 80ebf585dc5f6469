// What the worker reads besides wrangler.toml's bindings and vars (those are generated into
// worker-configuration.d.ts by `npm run types`): secrets (`wrangler secret put`), vars an
// operator may add, and the optional Workers AI binding. All optional: a worker runs without them.
declare namespace Cloudflare {
  interface Env {
    // Secrets: never in wrangler.toml.
    /** Admin bearer token (routes: keys, bundles, metrics, budgets, decisions). Required outside local mode. */
    ADMIN_TOKEN?: string;
    /** Upstream keys for /proxy/openai and /proxy/anthropic. */
    OPENAI_API_KEY?: string;
    ANTHROPIC_API_KEY?: string;
    /**
     * "true" enables the fixed dev credentials. Only `.dev.vars` (never deployed) and the test config
     * set it, and it is honoured only for requests to a loopback host (auth/local-mode.ts).
     */
    LOCAL_DEV?: string;

    // Decision records (durable/decision-privacy.ts, decision-log.ts).
    /** `true` keeps prompt text in decision records; anything else stores only its hash and size. */
    STORE_PROMPTS?: string;
    /** Comma-separated context paths replaced by `***` in decision records, e.g. `user.email,metadata.ip`. */
    MASK_FIELDS?: string;
    /** Days a decision record is kept (default 30). Read by the DecisionLog objects themselves. */
    DECISION_RETENTION_DAYS?: string;

    // Injection stage two (decision/injection-stage-two.ts).
    /** The Workers AI binding (`[ai] binding = "AI"`; needs a Cloudflare account). */
    AI?: { run(model: string, inputs: Record<string, unknown>): Promise<unknown> };
    /** `http` or `workers-ai`; anything else (default) leaves stage two off. */
    INJECTION_STAGE2?: string;
    /** http: the endpoint ({text} in, {score} out). */
    INJECTION_STAGE2_URL?: string;
    /** http: a bearer token for the endpoint (a secret). */
    INJECTION_STAGE2_TOKEN?: string;
    /** Stage-one scores that go to stage two, `low-high` inclusive (default 0.35-0.75). */
    INJECTION_STAGE2_BAND?: string;
    /** Milliseconds stage two may take (default 300). */
    INJECTION_STAGE2_TIMEOUT_MS?: string;
    INJECTION_STAGE2_JUDGE_MODEL?: string;
    /** Llama Guard model, or `none`. */
    INJECTION_STAGE2_GUARD_MODEL?: string;
    /** workers-ai without the binding: the REST account URL (https://api.cloudflare.com/client/v4/accounts/<id>) and a token. */
    INJECTION_STAGE2_AI_URL?: string;
    INJECTION_STAGE2_AI_TOKEN?: string;
  }
}

// The worker's metrics (per isolate; see registry.ts). Other parts of the worker (budgets, proxy)
// register theirs on the same `registry` so /metrics shows everything.
import { Registry } from './registry';

export const registry = new Registry();

export const decisionsTotal = registry.counter('llm_policy_decisions_total', 'Decisions served, by outcome and bundle role (stable, canary, none).');

export const evaluateLatency = registry.histogram(
  'llm_policy_evaluate_duration_seconds',
  'Time in the /v1/evaluate and /v1/evaluate/batch handlers: body read, enrichment, evaluation (Workers clocks advance only across I/O).',
  [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
);

export const requestsTotal = registry.counter('llm_policy_http_requests_total', 'HTTP requests, by matched route and status.');

export const bundleRejections = registry.counter('llm_policy_bundle_rejections_total', 'Pointers and bundles refused, by reason.');

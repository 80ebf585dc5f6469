// Proxy metrics, on the worker's shared registry (shown by /metrics).
import { registry } from '../metrics/index';

export const proxyOutcomes = registry.counter('llm_policy_proxy_requests_total', 'Proxied requests, by provider and outcome (allow, deny, budget_exceeded ...).');

export const upstreamLatency = registry.histogram(
  'llm_policy_proxy_upstream_seconds',
  'Time from forwarding a request to the upstream answering (response headers).',
  [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
);

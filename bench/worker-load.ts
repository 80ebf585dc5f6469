// One autocannon run against a URL, reduced to the figures the report needs, plus the server's
// CPU time per request (robust to a busy machine, where throughput swings from run to run).
import { createRequire } from 'node:module';
import { cpuSeconds } from './worker-setup';

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}

type Autocannon = (opts: {
  url: string;
  connections: number;
  duration: number;
  method: string;
  headers?: Record<string, string>;
  body?: string;
  requests?: Array<{ setupRequest: (req: { body?: string }) => { body?: string } }>;
}) => Promise<AutocannonResult>;

// autocannon ships no types; this is the slice of its API used here.
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

export interface LoadResult {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  failures: number;
  /** workerd CPU (user + system) per request, µs; NaN where /proc is not available. */
  cpuUs: number;
}

export interface Target {
  url: string;
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /**
   * Each request's `[<id>]` in the body replaced by the next number: a prompt no request sent
   * before. (Not autocannon's own idReplacement: its ids look like base64, which the injection
   * scan decodes and scores once more, so every prompt would carry an encoded payload.)
   */
  uniqueBodies?: boolean;
  /** workerd processes serving the target. */
  pids: number[];
}

export async function load(target: Target, connections: number, seconds: number): Promise<LoadResult> {
  const cpuBefore = target.pids.length > 0 ? cpuSeconds(target.pids) : NaN;
  let next = 0;
  const requests = target.uniqueBodies ? [{ setupRequest: (req: { body?: string }) => ({ ...req, body: target.body?.replace('[<id>]', String(next++)) }) }] : undefined;
  const r = await autocannon({ url: target.url, method: target.method, headers: target.headers, body: target.body, requests, connections, duration: seconds });
  const cpuUs = ((cpuSeconds(target.pids) - cpuBefore) * 1e6) / Math.max(1, r.requests.total);
  return { rps: r.requests.average, p50Ms: r.latency.p50, p99Ms: r.latency.p99, failures: r.non2xx + r.errors + r.timeouts, cpuUs };
}

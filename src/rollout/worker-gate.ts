// The promotion gate the CLI plugs into `promote`: asks the worker (GET /v1/rollout: only the
// worker can reach the Durable Object counters) and lets the move through when decidePromotion
// says so, printing the gate table either way. Uses the global fetch (Node 20 and workerd).
import type { PromotionGate } from '../publish/rollout-commands';
import { formatGateTable } from './format';
import { decidePromotion, type GateSource } from './promotion';
import type { RolloutView } from './view';

export const ROLLOUT_PATH = '/v1/rollout';
const REQUEST_TIMEOUT_MS = 10_000;

export interface WorkerGateOptions {
  /** The worker's base URL, e.g. http://127.0.0.1:8787. */
  url: string;
  adminToken?: string;
  force: boolean;
  reason?: string;
  print: (line: string) => void;
  fetch?: typeof fetch;
}

export function workerGate(opts: WorkerGateOptions): PromotionGate {
  return async ({ from }) => {
    const source = await readRolloutView(opts.url, opts.adminToken, opts.fetch);
    const decision = decidePromotion({ canary: from.canary ?? '', source, force: opts.force, reason: opts.reason });
    if (decision.report) {
      opts.print(`gates for canary ${from.canary} (${opts.url}):`);
      for (const line of formatGateTable(decision.report)) opts.print(line);
    }
    if (!decision.allow) return { ok: false, reason: decision.message };
    if (decision.forced) opts.print(`WARNING: ${decision.message}`);
    return { ok: true, note: { ...(decision.report ? { gates: decision.report } : {}), ...(decision.forced ? { forced: true } : {}) } };
  };
}

/** GET <url>/v1/rollout with the admin token. Never throws: a failure is `{ ok: false, problem }`. */
export async function readRolloutView(url: string, adminToken: string | undefined, fetchImpl: typeof fetch = fetch): Promise<GateSource> {
  const base = url.replace(/\/+$/, '');
  if (!base) return { ok: false, url: '(no --url)', problem: 'no worker URL: --target remote needs --url (or LLM_POLICY_URL)' };
  if (!adminToken) return { ok: false, url: base, problem: 'no admin token (pass --admin-token or set LLM_POLICY_ADMIN_TOKEN)' };
  let res: Response;
  try {
    res = await fetchImpl(`${base}${ROLLOUT_PATH}`, { headers: { authorization: `Bearer ${adminToken}` }, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  } catch (e) {
    return { ok: false, url: base, problem: unreachable(e) };
  }
  const text = await res.text().catch(() => '');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { ok: false, url: base, problem: `HTTP ${res.status}, not JSON` };
  }
  if (!res.ok) {
    const error = (body as { error?: { code?: string; message?: string } })?.error;
    return { ok: false, url: base, problem: `HTTP ${res.status}${error ? ` ${error.code}: ${error.message}` : ''}` };
  }
  if (!isView(body)) return { ok: false, url: base, problem: `HTTP ${res.status}, but not a rollout view (an older worker without ${ROLLOUT_PATH}?)` };
  return { ok: true, url: base, view: body };
}

function isView(body: unknown): body is RolloutView {
  return typeof body === 'object' && body !== null && 'killSwitch' in body && 'gates' in body && 'history' in body;
}

/**
 * Why a worker could not be reached, with the way to point at the right one: `npm run dev -- --port N`
 * or a deployed worker is not at the default http://127.0.0.1:8787.
 */
export function unreachable(e: unknown): string {
  const why = describeFetchError(e);
  return `${why}; is the worker running there? For another port or host pass --url URL or set LLM_POLICY_URL`;
}

function describeFetchError(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const cause = (e as Error & { cause?: { code?: string; message?: string } }).cause;
  if (e.name === 'TimeoutError') return `no answer within ${REQUEST_TIMEOUT_MS / 1000} s`;
  return cause?.code ? `${e.message} (${cause.code})` : cause?.message ? `${e.message} (${cause.message})` : e.message;
}

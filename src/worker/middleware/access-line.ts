// The access log line: one per request, built as one object of a fixed shape (no spreads, no
// second copy) and written only when sampling keeps it. Only ids and outcomes: never tokens,
// keys or bodies.
//
// Sampling: every refusal (a decision other than allow: deny, needs_approval, budget_exceeded ...),
// every request the caller was warned about, every error (status >= 400) and every admin write is
// logged. Plain successes (an allow without warnings, a GET such as /healthz) are logged with
// probability ACCESS_LOG_SAMPLE_RATE, and say so (`sampleRate`), so counts can be re-weighted.
// Allows lose nothing by it: each has its decision record (by request id), and /metrics counts
// every request.
import type { Principal } from '../app-env';

export interface AccessLine {
  level: 'info' | 'error';
  event: 'request';
  time: string;
  method: string;
  path: string;
  status: number;
  requestId: string;
  latencyMs: number;
  principal?: Principal['kind'];
  keyId?: string;
  userId?: string;
  teamId?: string;
  projectId?: string;
  /** The decision the caller got, when the route decided (allow, deny, budget_exceeded ...). */
  decision?: string;
  bundleVersion?: string;
  /** How many warnings the caller got with an allowed decision. */
  warnings?: number;
  /** Set on sampled lines: the probability a line like this one is written. */
  sampleRate?: number;
  /** What routes add (provider, budget, mcpTool, createdKeyId ...). */
  [field: string]: unknown;
}

/** What a route may add to its request's line. */
export type LogFields = Partial<AccessLine>;

/** A fresh line, every field in place (undefined until known), so its shape never changes. */
export function newAccessLine(requestId: string): AccessLine {
  return {
    level: 'info',
    event: 'request',
    time: '',
    method: '',
    path: '',
    status: 0,
    requestId,
    latencyMs: 0,
    principal: undefined,
    keyId: undefined,
    userId: undefined,
    teamId: undefined,
    projectId: undefined,
    decision: undefined,
    bundleVersion: undefined,
    warnings: undefined,
    sampleRate: undefined,
  };
}

/** Fills in the outcome and who called. */
export function finishAccessLine(line: AccessLine, method: string, path: string, status: number, latencyMs: number, principal: Principal | undefined): void {
  line.level = status >= 500 ? 'error' : 'info';
  line.method = method;
  line.path = path;
  line.status = status;
  line.latencyMs = latencyMs;
  if (principal) {
    line.principal = principal.kind;
    if (principal.kind === 'client') {
      line.keyId = principal.keyId;
      line.userId = principal.subject.user?.id;
      line.teamId = principal.subject.team?.id;
      line.projectId = principal.subject.project?.id;
    }
  }
}

/** True for the lines that are always written (see the top of this file). */
export function alwaysLogged(line: AccessLine): boolean {
  if (line.status >= 400) return true;
  if (line.decision !== undefined) return line.decision !== 'allow' || (line.warnings ?? 0) > 0;
  return line.method !== 'GET' && line.method !== 'HEAD';
}

/** Writes the line if sampling keeps it; `random` is injectable for tests. */
export function writeAccessLine(line: AccessLine, sampleRate: number, random: () => number = Math.random): boolean {
  if (!alwaysLogged(line)) {
    if (sampleRate <= 0 || (sampleRate < 1 && random() >= sampleRate)) return false;
    if (sampleRate < 1) line.sampleRate = sampleRate;
  }
  line.time = new Date().toISOString();
  const text = JSON.stringify(line);
  if (line.level === 'error') console.error(text);
  else console.log(text);
  return true;
}

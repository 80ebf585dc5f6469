// llm-policy approvals list|approve|deny: the worker's approval queue (GET /v1/approvals,
// POST /v1/approvals/:id/approve|deny) from the command line.
import { unreachable } from '../../rollout/worker-gate';
import { DEV_ADMIN_TOKEN, isLocalMode } from '../../worker/auth/local-mode';
import { expectPositionals, parseCommandArgs } from '../args';
import type { Command } from '../command';
import { CliError, UsageError } from '../errors';
import type { Io } from '../io';
import { WORKER_HELP, WORKER_OPTIONS } from '../publish-bridge';

const OPTIONS = {
  ...WORKER_OPTIONS,
  note: { type: 'string' },
  status: { type: 'string' },
  json: { type: 'boolean' },
} as const;

const DEFAULT_URL = 'http://127.0.0.1:8787';

export const approvalsCommand: Command = {
  name: 'approvals',
  help: `Usage: llm-policy approvals list [--status S] [--json] [options]
       llm-policy approvals approve <id> [--note TEXT] [options]
       llm-policy approvals deny <id> [--note TEXT] [options]

The queue of needs_approval requests. A refused request names its approval id; once approved,
the client retries the identical request with the header x-approval-id: <id>, and it passes
once, within the grant's lifetime (APPROVAL_TTL_SECONDS, default 15 minutes).

  list       pending requests (or --status approved|denied|used|expired): id, who, what, why
  approve    grant one, with an optional --note (in the decision log)
  deny       refuse one, with an optional --note

Options:
      --note <text>           why you approved or denied
      --status <status>       list requests in this status (default pending)
      --json                  print the worker's JSON answer
${WORKER_HELP}
                              (an approver's client key works too: a key whose subject has
                              user.roles [approver])
  -h, --help                  show this help
`,
  run: (argv, io) => runApprovals(argv, io),
};

export interface ApprovalsAction {
  action: 'list' | 'approve' | 'deny';
  id?: string;
  note?: string;
  status?: string;
  json?: boolean;
  url: string;
  token: string;
}

/** The command line as an action (UsageError on bad use). */
export function parseApprovalsArgs(argv: string[]): ApprovalsAction {
  const { values, positionals } = parseCommandArgs('approvals', argv, OPTIONS);
  const [action, id] = positionals;
  if (action !== 'list' && action !== 'approve' && action !== 'deny') {
    throw new UsageError(action === undefined ? 'missing the action: list, approve or deny' : `unknown action ${JSON.stringify(action)}: expected list, approve or deny`, 'approvals');
  }
  if (action === 'list') expectPositionals('approvals', positionals, 1, 1, '');
  else expectPositionals('approvals', positionals, 2, 2, 'the approval id');
  const url = (values.url ?? (process.env.LLM_POLICY_URL || DEFAULT_URL)).replace(/\/+$/, '');
  const token = values['admin-token'] ?? (process.env.LLM_POLICY_ADMIN_TOKEN || undefined) ?? (loopback(url) ? DEV_ADMIN_TOKEN : undefined);
  if (!token) throw new UsageError(`no token for ${url}: pass --admin-token or set LLM_POLICY_ADMIN_TOKEN`, 'approvals');
  return { action, id, note: values.note, status: values.status, json: values.json, url, token };
}

export function runApprovals(argv: string[], io: Io): Promise<number> {
  return runApprovalsAction(parseApprovalsArgs(argv), io);
}

/** One action against the worker, with the HTTP client given (tests pass the workerd worker's fetch). */
export async function runApprovalsAction(a: ApprovalsAction, io: Io, fetchFn: typeof fetch = fetch): Promise<number> {
  const http = (path: string, body?: unknown) => request(fetchFn, a.url, path, a.token, body);
  if (a.action === 'list') {
    const status = a.status ?? 'pending';
    const answer = (await http(`/v1/approvals?status=${encodeURIComponent(status)}`)) as { approvals: ApprovalLine[] };
    io.out(a.json ? `${JSON.stringify(answer, null, 2)}\n` : formatList(answer.approvals, status));
    return 0;
  }
  const id = a.id ?? '';
  const answer = (await http(`/v1/approvals/${encodeURIComponent(id)}/${a.action}`, a.note ? { note: a.note } : {})) as { approval: ApprovalLine };
  if (a.json) io.out(`${JSON.stringify(answer, null, 2)}\n`);
  else io.out(a.action === 'approve' ? `approved ${id}: the identical retry with x-approval-id passes once, until ${answer.approval.expiresAt}\n` : `denied ${id}\n`);
  return 0;
}

interface ApprovalLine {
  id: string;
  status: string;
  what: string;
  why: string[];
  who: { keyId: string; userId?: string; teamId?: string };
  cost?: number;
  createdAt: string;
  expiresAt: string;
}

function formatList(list: ApprovalLine[], status: string): string {
  if (list.length === 0) return `no ${status} approvals\n`;
  return list
    .map((a) => {
      const who = [a.who.userId, a.who.teamId].filter(Boolean).join('@') || a.who.keyId;
      const cost = a.cost === undefined ? '' : ` ~$${a.cost.toFixed(4)}`;
      return `${a.id}  ${a.status}  ${who}  ${a.what}${cost}  (${a.why.join('; ')})  until ${a.expiresAt}\n`;
    })
    .join('');
}

async function request(fetchFn: typeof fetch, url: string, path: string, token: string, body?: unknown): Promise<unknown> {
  let res: Response;
  try {
    res = await fetchFn(`${url}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    throw new CliError(`approvals: cannot reach ${url}: ${unreachable(e)}`);
  }
  const answer = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
  if (!res.ok) throw new CliError(`approvals: ${url}${path}: ${res.status} ${answer?.error?.code ?? ''}: ${answer?.error?.message ?? 'no error message'}`.replace(' : ', ': '));
  return answer;
}

function loopback(url: string): boolean {
  try {
    return isLocalMode(true, url);
  } catch {
    return false;
  }
}

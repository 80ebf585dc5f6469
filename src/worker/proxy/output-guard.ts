// What of a stream the client may see, and when. Without response rules every event goes out as
// soon as it is complete. With response rules, the guard holds back the newest text: it checks
// the accumulated text whenever enough new text has arrived, then releases the events that end at
// least HOLDBACK_CHARS before the checked end. A phrase or a piece of PII that straddles a check
// is therefore still held when the check that sees it whole runs, and a deny ends the stream
// before the client got it. Events that precede any text (role, message_start) go out at once,
// so the first byte is never held.
//
// A response rule with redact_pii rewrites the text of released events: detected spans are
// replaced by [REDACTED:TYPE] in the event where the span starts, and the rest of a span that
// runs into later events is dropped from them.
//
// Tool calls: every event that carries a piece of a tool call is held (with all events after it)
// until the call is complete and response rules have judged it in `response.toolCalls`; a deny
// ends the stream before any piece of the call went out.
import { detectPII, type PiiMatch } from '../../enrich/index';
import type { Decision } from '../../policy/types';
import type { BudgetWatch } from './budget-watch';
import type { ProxyErrorCode } from './errors';
import type { RedactTypes, ResponseVerdict } from './response-rules';
import { encodeEvent, type SseEvent } from './sse';
import { ToolCallAssembler, type ToolDelta } from './tool-stream';
import type { ToolCall } from './tools';

export const HOLDBACK_CHARS = 256;
/** Checks run after at least this much new text, or an eighth of the text so far if more (so a long answer costs O(n) checks in total, not O(n²)). */
const MIN_CHECK_CHARS = 64;

export interface Stop {
  code: ProxyErrorCode;
  message: string;
  /** For the decision record: deny, approval_required or budget_exceeded. */
  outcome: string;
  /** The response-stage decision that stopped the stream, if one did. */
  decision?: Decision;
}

export interface Step {
  /** Wire text to send now (may be empty). */
  out: string;
  stop?: Stop;
}

export interface GuardOptions {
  /** Response-stage rules on the text and the complete tool calls so far. Absent: nothing is held back. */
  judge?: (text: string, toolCalls: ToolCall[]) => ResponseVerdict;
  budget?: BudgetWatch;
}

interface Held {
  event: SseEvent;
  /** Output text offsets [start, end) of the event's text. */
  start: number;
  end: number;
  /** The event with its text replaced, when the endpoint can say so. */
  withText?: (text: string) => SseEvent;
  /** Keys of the tool calls the event carries pieces of. */
  calls?: string[];
}

export class OutputGuard {
  private held: Held[] = [];
  private text = '';
  private checkedTo = 0;
  private redactTypes: RedactTypes | undefined;
  private spans: PiiMatch[] = [];
  private stopped = false;
  private readonly tools = new ToolCallAssembler();
  /** The last response-stage verdict (for the decision record). */
  verdict: ResponseVerdict | undefined;

  constructor(private readonly opts: GuardOptions) {}

  /** All output text received so far, released or not. */
  get outputText(): string {
    return this.text;
  }

  /** The complete tool calls received so far. */
  get toolCalls(): ToolCall[] {
    return this.tools.complete();
  }

  add(event: SseEvent, text?: string, withText?: (text: string) => SseEvent, tools?: readonly ToolDelta[]): void {
    const start = this.text.length;
    if (text) {
      this.text += text;
      this.opts.budget?.add(text);
    }
    const held: Held = { event, start, end: this.text.length, withText };
    if (tools?.length) {
      for (const d of tools) this.tools.apply(d);
      held.calls = tools.map((d) => d.key);
    }
    this.held.push(held);
  }

  /** After each upstream chunk: run the checks that are due, release what may go out. */
  drain(): Step {
    if (this.stopped) return { out: '' };
    const overBudget = this.opts.budget?.exceeded();
    if (overBudget) return this.stop({ code: 'budget_exceeded', message: overBudget, outcome: 'budget_exceeded' });
    if (!this.opts.judge) return { out: this.release(Infinity) };
    const unchecked = this.text.length - this.checkedTo;
    if (this.tools.awaitingJudgment || unchecked >= Math.max(MIN_CHECK_CHARS, this.text.length >> 3)) {
      const stop = this.check();
      if (stop) return this.stop(stop);
    }
    return { out: this.release(this.checkedTo - HOLDBACK_CHARS) };
  }

  /** At the end of the upstream stream: a last check on the whole text, then everything goes. */
  finish(): Step {
    if (this.stopped) return { out: '' };
    const overBudget = this.opts.budget?.exceeded(true);
    if (overBudget) return this.stop({ code: 'budget_exceeded', message: overBudget, outcome: 'budget_exceeded' });
    this.tools.endAll();
    if (this.opts.judge && (this.text.length > this.checkedTo || this.verdict === undefined || this.tools.awaitingJudgment)) {
      const stop = this.check();
      if (stop) return this.stop(stop);
    }
    return { out: this.release(Infinity) };
  }

  private check(): Stop | undefined {
    const verdict = this.opts.judge!(this.text, this.tools.complete());
    this.verdict = verdict;
    this.checkedTo = this.text.length;
    if (verdict.kind === 'deny') return { code: verdict.code, message: verdict.message, outcome: verdict.decision.decision, decision: verdict.decision };
    this.tools.markJudged();
    if (verdict.kind === 'redact') this.redactTypes = mergeRedact(this.redactTypes, verdict.types);
    if (this.redactTypes) this.spans = spansOf(this.text, this.redactTypes);
    return undefined;
  }

  private stop(stop: Stop): Step {
    this.stopped = true;
    this.held = [];
    return { out: '', stop };
  }

  private release(limit: number): string {
    let count = 0;
    let out = '';
    for (const h of this.held) {
      if (h.end !== 0 && h.end > limit) break;
      // A call not judged yet holds its events and all after them (order is kept).
      if (h.calls && this.opts.judge && !h.calls.every((key) => this.tools.released(key))) break;
      out += encodeEvent(this.redacted(h));
      count++;
    }
    if (count > 0) this.held = this.held.slice(count);
    return out;
  }

  private redacted(h: Held): SseEvent {
    if (!this.redactTypes || !h.withText || h.start === h.end) return h.event;
    const original = this.text.slice(h.start, h.end);
    const text = rewriteRange(this.text, h.start, h.end, this.spans);
    return text === original ? h.event : h.withText(text);
  }
}

function mergeRedact(a: RedactTypes | undefined, b: RedactTypes): RedactTypes {
  if (a === 'all' || b === 'all') return 'all';
  return new Set([...(a ?? []), ...b]);
}

function spansOf(text: string, types: RedactTypes): PiiMatch[] {
  const matches = detectPII(text).matches;
  return types === 'all' ? matches : matches.filter((m) => types.has(m.type));
}

/** text[start, end) with each span replaced by its token where the span starts. */
export function rewriteRange(text: string, start: number, end: number, spans: readonly PiiMatch[]): string {
  let out = '';
  let pos = start;
  for (const span of spans) {
    if (span.end <= start) continue;
    if (span.start >= end) break;
    if (span.start >= pos) {
      out += text.slice(pos, span.start) + `[REDACTED:${span.type.toUpperCase()}]`;
    }
    pos = Math.max(pos, Math.min(span.end, end));
  }
  return out + text.slice(pos, end);
}

// Tool calls assembled from stream deltas. Each endpoint's reader names the calls it sees by a
// key of its own (OpenAI chat: choice and call index; Responses: output index; Anthropic: content
// block index) and says when a call's last piece has arrived. The OutputGuard holds every event
// of a call until response rules have judged the complete call, so a denied call never reaches
// the client whole, nor in part.
import { toolCall, type ToolCall } from './tools';

/** One piece of a streamed tool call. */
export interface ToolDelta {
  key: string;
  id?: string;
  name?: string;
  /** More of the arguments text. */
  arguments?: string;
  /** The whole arguments text, when the event repeats it (it replaces the pieces). */
  argumentsFull?: string;
  /** The call is complete: no later event adds to it. */
  done?: boolean;
}

interface Assembling {
  id?: string;
  name?: string;
  text: string;
  done: boolean;
  judged: boolean;
}

export class ToolCallAssembler {
  private readonly calls = new Map<string, Assembling>();

  apply(d: ToolDelta): void {
    let call = this.calls.get(d.key);
    if (!call) this.calls.set(d.key, (call = { text: '', done: false, judged: false }));
    if (d.id !== undefined) call.id ??= d.id;
    // A later name replaces the earlier one, as the OpenAI SDK's own accumulator does.
    if (d.name) call.name = d.name;
    if (d.arguments !== undefined) call.text += d.arguments;
    if (d.argumentsFull !== undefined) call.text = d.argumentsFull;
    if (d.done) call.done = true;
  }

  /** The stream ended: whatever was started is all there will be. */
  endAll(): void {
    for (const call of this.calls.values()) call.done = true;
  }

  /** Some complete call has not been judged yet. */
  get awaitingJudgment(): boolean {
    for (const call of this.calls.values()) if (call.done && !call.judged) return true;
    return false;
  }

  /** The complete calls, in the order they started: what `response.toolCalls` holds. */
  complete(): ToolCall[] {
    const out: ToolCall[] = [];
    for (const call of this.calls.values()) if (call.done) out.push(toolCall(call.id, call.name, call.text));
    return out;
  }

  /** After a check of `complete()` passed: those calls may go out. */
  markJudged(): void {
    for (const call of this.calls.values()) if (call.done) call.judged = true;
  }

  /** Whether events of this call may be released. */
  released(key: string): boolean {
    return this.calls.get(key)?.judged ?? true;
  }
}

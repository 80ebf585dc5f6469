// What the proxy needs to know about one provider endpoint: how its request body reads as a
// policy context, where its max-tokens and text live, how its answers report usage, and how its
// stream events carry text and usage. One adapter per endpoint (chat, responses, embeddings,
// messages); the proxy's flow is the same for all of them.
import type { SseEvent } from '../sse';
import type { ToolDelta } from '../tool-stream';
import type { ToolCall } from '../tools';

export type ProviderName = 'openai' | 'anthropic';
export type Endpoint = 'chat.completions' | 'responses' | 'embeddings' | 'messages';
export type Json = Record<string, unknown>;

export interface Usage {
  inputTokens: number;
  outputTokens: number;
}

/** What one upstream SSE event means to the gateway. */
export interface EventInfo {
  /** Output text the event carries (counted, and checked by response rules). */
  text?: string;
  /** Token counts the event reports; a field given replaces the earlier value. */
  usage?: Partial<Usage>;
  /** The usage is the request's final tally (no later event will change it). */
  usageFinal?: boolean;
  /** Added by the gateway, not asked for by the caller: counted, never forwarded. */
  hide?: boolean;
  /** The provider reported an error inside the stream. */
  error?: boolean;
  /** This event with its text replaced (for redaction), when the text is one plain field. */
  withText?: (text: string) => SseEvent;
  /** Pieces of tool calls the event carries (assembled and judged before they go out). */
  tools?: ToolDelta[];
}

/** Reads one stream's events in order (some endpoints keep state across events). */
export interface StreamReader {
  read(event: SseEvent): EventInfo;
  /** The SSE event that ends this stream with an error, in the endpoint's own format. */
  errorEvent(code: string, message: string): SseEvent;
}

export interface EndpointAdapter {
  provider: ProviderName;
  endpoint: Endpoint;
  /** Path appended to the provider's base URL. */
  path: string;
  /** Max-tokens fields the body may use; the first is set when none is. Empty: no output tokens. */
  maxTokensFields: readonly string[];
  /** Output tokens assumed for the estimate when the body sets no maximum. */
  defaultOutputTokens: number;
  /** The `llm` object of the policy context (spec §7), from the request body. */
  llm(body: Json): Json;
  /** Rewrites every prompt text of `body` in place (messages, system, input). */
  redactRequest(body: Json, redact: (text: string) => string): void;
  /** True when the body asks for a stream this endpoint can send. */
  streams(body: Json): boolean;
  /**
   * Prepares a streaming body for forwarding (e.g. asks OpenAI chat for usage) and returns the
   * reader for its events.
   */
  openStream(body: Json): StreamReader;
  /** True when openStream will rewrite this body (absent: it never does). */
  streamRewritesBody?(body: Json): boolean;
  /** Usage of a complete (non-streamed) answer, when it reports one. */
  usage(answer: Json): Usage | undefined;
  /** The output text of a complete answer. */
  answerText(answer: Json): string;
  /** The tool calls of a complete answer (`response.toolCalls`). */
  answerToolCalls(answer: Json): ToolCall[];
  /** Rewrites the output text of a complete answer in place. */
  redactAnswer(answer: Json, redact: (text: string) => string): void;
}

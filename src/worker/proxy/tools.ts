// Tools in provider bodies, as policy context (spec §7): what a request offers (`llm.tools`),
// the tool outputs it carries back (`llm.toolResults`), and the calls an answer makes
// (`response.toolCalls`). One reader per wire shape:
//   offered   OpenAI chat {type: function, function: {name, description, parameters}},
//             Responses {type: function, name, description, parameters}, Anthropic {name,
//             description, input_schema}; a built-in tool without a name ({type: web_search}) by its type
//   results   OpenAI chat messages {role: tool, tool_call_id, content}, Responses input items
//             {type: function_call_output, call_id, output}, Anthropic user blocks {type:
//             tool_result, tool_use_id, content}; `name` is looked up from the call they answer
//   calls     OpenAI chat message.tool_calls, Responses output {type: function_call},
//             Anthropic content {type: tool_use}
import { contentText } from '../../enrich/index';
import { isObject } from './content';
import type { Json } from './providers/types';

export interface ToolCall {
  id?: string;
  name?: string;
  /** The arguments parsed, when they are a JSON object. */
  arguments?: Json;
  argumentsText: string;
}

/** `llm.tools`: each offered tool as {name, description?, parameters?}. */
export function offeredTools(tools: unknown): Json[] | undefined {
  if (!Array.isArray(tools)) return undefined;
  const out: Json[] = [];
  for (const tool of tools) {
    if (!isObject(tool)) continue;
    const spec = isObject(tool.function) ? tool.function : tool;
    const name = toolName(tool);
    if (name === undefined) continue;
    const parameters = spec.parameters ?? spec.input_schema;
    out.push({
      name,
      ...(typeof spec.description === 'string' ? { description: spec.description } : {}),
      ...(isObject(parameters) ? { parameters } : {}),
    });
  }
  return out;
}

/** The name an offered tool goes by (OpenAI `function.name` or `name`, Anthropic `name`, else its type). */
export function toolName(tool: unknown): string | undefined {
  if (!isObject(tool)) return undefined;
  const fn = isObject(tool.function) ? tool.function : undefined;
  if (typeof fn?.name === 'string') return fn.name;
  if (typeof tool.name === 'string') return tool.name;
  return typeof tool.type === 'string' ? tool.type : undefined;
}

/** A call as policy context: arguments parsed when they are a JSON object, missing otherwise. */
export function toolCall(id: unknown, name: unknown, argumentsText: string): ToolCall {
  const call: ToolCall = { argumentsText };
  if (typeof id === 'string') call.id = id;
  if (typeof name === 'string') call.name = name;
  try {
    const parsed: unknown = JSON.parse(argumentsText);
    if (isObject(parsed)) call.arguments = parsed;
  } catch {
    // Not JSON (or cut short): `arguments` stays missing, `argumentsText` says what came.
  }
  return call;
}

// ---------------------------------------------------------------- results (requests)

/** OpenAI chat: `tool` messages, named by the assistant's tool_calls they answer. */
export function chatToolResults(messages: unknown): Json[] | undefined {
  if (!Array.isArray(messages)) return undefined;
  const names = new Map<string, string>();
  const out: Json[] = [];
  for (const m of messages) {
    if (!isObject(m)) continue;
    if (m.role === 'assistant' && Array.isArray(m.tool_calls)) {
      for (const c of m.tool_calls) if (isObject(c) && typeof c.id === 'string' && isObject(c.function) && typeof c.function.name === 'string') names.set(c.id, c.function.name);
    }
    if (m.role === 'tool') out.push(result(m.tool_call_id, names, contentText(m.content)));
  }
  return out.length > 0 ? out : undefined;
}

/** Responses: `function_call_output` items, named by the `function_call` items they answer. */
export function responsesToolResults(input: unknown): Json[] | undefined {
  if (!Array.isArray(input)) return undefined;
  const names = new Map<string, string>();
  const out: Json[] = [];
  for (const item of input) {
    if (!isObject(item)) continue;
    if (item.type === 'function_call' && typeof item.call_id === 'string' && typeof item.name === 'string') names.set(item.call_id, item.name);
    if (item.type === 'function_call_output') out.push(result(item.call_id, names, typeof item.output === 'string' ? item.output : contentText(item.output)));
  }
  return out.length > 0 ? out : undefined;
}

/** Anthropic: `tool_result` blocks of user messages, named by the assistant's `tool_use` blocks. */
export function messagesToolResults(messages: unknown): Json[] | undefined {
  if (!Array.isArray(messages)) return undefined;
  const names = new Map<string, string>();
  const out: Json[] = [];
  for (const m of messages) {
    if (!isObject(m) || !Array.isArray(m.content)) continue;
    for (const block of m.content) {
      if (!isObject(block)) continue;
      if (block.type === 'tool_use' && typeof block.id === 'string' && typeof block.name === 'string') names.set(block.id, block.name);
      if (block.type === 'tool_result') out.push(result(block.tool_use_id, names, contentText(block.content)));
    }
  }
  return out.length > 0 ? out : undefined;
}

function result(id: unknown, names: Map<string, string>, text: string): Json {
  const out: Json = {};
  if (typeof id === 'string') {
    out.toolCallId = id;
    const name = names.get(id);
    if (name !== undefined) out.name = name;
  }
  out.text = text;
  return out;
}

// ---------------------------------------------------------------- calls (answers)

export function chatAnswerToolCalls(answer: Json): ToolCall[] {
  const calls: ToolCall[] = [];
  for (const choice of Array.isArray(answer.choices) ? answer.choices : []) {
    const message = isObject(choice) && isObject(choice.message) ? choice.message : undefined;
    for (const c of Array.isArray(message?.tool_calls) ? message.tool_calls : []) {
      if (!isObject(c)) continue;
      const fn = isObject(c.function) ? c.function : {};
      calls.push(toolCall(c.id, fn.name, typeof fn.arguments === 'string' ? fn.arguments : ''));
    }
  }
  return calls;
}

export function responsesAnswerToolCalls(answer: Json): ToolCall[] {
  const calls: ToolCall[] = [];
  for (const item of Array.isArray(answer.output) ? answer.output : []) {
    if (isObject(item) && item.type === 'function_call') calls.push(toolCall(item.call_id, item.name, typeof item.arguments === 'string' ? item.arguments : ''));
  }
  return calls;
}

export function messagesAnswerToolCalls(answer: Json): ToolCall[] {
  const calls: ToolCall[] = [];
  for (const block of Array.isArray(answer.content) ? answer.content : []) {
    if (isObject(block) && block.type === 'tool_use') calls.push(toolCall(block.id, block.name, JSON.stringify(block.input ?? {})));
  }
  return calls;
}

// ---------------------------------------------------------------- remove_tools

/**
 * Strips the named tools from the request's offer. A `tool_choice` that forces a removed tool is
 * dropped too (the provider would refuse it), and so is an offer left empty.
 */
export function removeTools(body: Json, names: ReadonlySet<string>): string[] {
  if (!Array.isArray(body.tools)) return [];
  const removed: string[] = [];
  body.tools = body.tools.filter((tool) => {
    const name = toolName(tool);
    if (name === undefined || !names.has(name)) return true;
    removed.push(name);
    return false;
  });
  if (removed.length === 0) return removed;
  const forced = forcedTool(body.tool_choice);
  if (forced !== undefined && names.has(forced)) delete body.tool_choice;
  if ((body.tools as unknown[]).length === 0) {
    delete body.tools;
    delete body.tool_choice;
    delete body.parallel_tool_calls;
  }
  return removed;
}

/** The tool a `tool_choice` forces: OpenAI chat {type: function, function: {name}}, Responses {type: function, name}, Anthropic {type: tool, name}. */
function forcedTool(choice: unknown): string | undefined {
  if (!isObject(choice)) return undefined;
  if (isObject(choice.function) && typeof choice.function.name === 'string') return choice.function.name;
  return typeof choice.name === 'string' ? choice.name : undefined;
}

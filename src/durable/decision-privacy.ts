// Privacy by default for decision records, applied in the worker before a record leaves it:
// prompt text is replaced by its SHA-256 and byte size (kept only with STORE_PROMPTS=true), and
// every context path named in MASK_FIELDS is replaced by `***` (the subject ids too, when masked).
import { copyContext } from './decision-context-copy';
import type { DecisionRecord, DecisionRecordInput, DecisionSubject, StoredPrompt } from './decision-types';
import type { DecisionsEnv } from './env';

export const MASK = '***';
/** A larger context snapshot is left out of the record (the rest of the record is kept). */
const MAX_CONTEXT_CHARS = 64 * 1024;
/** Context fields that carry prompt text (policy-language.md §7, plus a system prompt). */
const PROMPT_FIELDS = ['prompt', 'messages', 'system'] as const;

export interface PrivacySettings {
  storePrompts: boolean;
  maskFields: string[];
}

// Vars do not change within an isolate's life: parse each MASK_FIELDS text once.
const parsedMasks = new Map<string, string[]>();

export function privacySettings(env: Pick<DecisionsEnv, 'STORE_PROMPTS' | 'MASK_FIELDS'>): PrivacySettings {
  const text = env.MASK_FIELDS ?? '';
  let maskFields = parsedMasks.get(text);
  if (!maskFields) {
    maskFields = text
      .split(',')
      .map((f) => f.trim())
      .filter((f) => f !== '');
    if (parsedMasks.size < 16) parsedMasks.set(text, maskFields);
  }
  return { storePrompts: env.STORE_PROMPTS === 'true', maskFields };
}

export async function toStoredRecord(input: DecisionRecordInput, settings: PrivacySettings, nowMs: number): Promise<DecisionRecord> {
  const context = input.context as Record<string, unknown> | undefined;
  const prompt = promptForms(context);
  const record: DecisionRecord = {
    id: crypto.randomUUID(),
    requestId: input.requestId,
    time: new Date(timeOf(input.time, nowMs)).toISOString(),
    source: input.source,
    decision: input.decision,
    subject: maskSubject(input.subject ?? subjectOf(context), settings.maskFields),
    decidingRules: [...(input.decidingRules ?? [])],
    matchedRules: [...(input.matchedRules ?? [])],
    ...(input.shadow ? { shadow: input.shadow.map((m) => ({ policyId: m.policyId, ruleId: m.ruleId, decision: m.decision })) } : {}),
    bundle: input.bundle ? { version: input.bundle.version, hash: input.bundle.hash } : null,
    reasons: maskTexts(input.reasons ?? [], context, settings, prompt),
    tags: { ...(input.tags ?? {}) },
  };
  if (input.warnings && input.warnings.length > 0) record.warnings = maskTexts(input.warnings, context, settings, prompt);
  for (const key of ['estimatedCostUsd', 'actualCostUsd', 'latencyMs'] as const) {
    const v = input[key];
    if (typeof v === 'number' && Number.isFinite(v)) record[key] = v;
  }
  if (input.onError) record.onError = { ...input.onError };

  const promptText = input.prompt ?? prompt.text();
  if (promptText !== undefined) record.prompt = await describePrompt(promptText, settings.storePrompts);

  if (context !== undefined) {
    const kept = privateContext(context, settings);
    if (kept === 'too_large') record.contextOmitted = 'too_large';
    else record.context = kept;
  }
  return record;
}

/**
 * Reason templates interpolate context values (`{{user.email}}`, `{{llm.prompt}}`): the rendered
 * text must not carry what the record itself masks. Each masked value, and unless STORE_PROMPTS
 * the prompt text, is replaced where it appears, longest first.
 */
function maskTexts(texts: readonly string[], context: Record<string, unknown> | undefined, settings: PrivacySettings, prompt: PromptForms): string[] {
  if (texts.length === 0 || context === undefined) return [...texts];
  // A form longer than every text cannot be in one: the usual case for a prompt and a short reason.
  let longest = 0;
  for (const t of texts) longest = Math.max(longest, t.length);
  const hidden: Array<[string, string]> = [];
  const hide = (form: string, mask: string) => {
    if (form.length > 0 && form.length <= longest) hidden.push([form, mask]);
  };
  for (const path of settings.maskFields) {
    const value = valueAt(context, path.split('.'));
    if (value !== undefined) for (const form of renderedForms(value)) hide(form, MASK);
  }
  if (!settings.storePrompts && isObject(context.llm)) {
    for (const field of PROMPT_FIELDS) {
      const value = context.llm[field];
      if (value === undefined) continue;
      if (field === 'messages' && Array.isArray(value)) hide(prompt.messagesJson()!, '[prompt]');
      else for (const form of renderedForms(value)) hide(form, '[prompt]');
    }
    if (Array.isArray(context.llm.messages)) {
      for (const m of context.llm.messages) if (isObject(m) && typeof m.content === 'string') hide(m.content, '[prompt]');
    }
  }
  if (hidden.length === 0) return [...texts];
  const replacements = hidden.sort((a, b) => b[0].length - a[0].length);
  return texts.map((text) => replacements.reduce((t, [form, mask]) => t.split(form).join(mask), text));
}

/** How a reason template prints a value (engine/template.ts): strings as they are, others as JS or JSON. */
function renderedForms(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (typeof value === 'number' || typeof value === 'boolean') return [String(value)];
  return [JSON.stringify(value)];
}

function valueAt(context: unknown, path: string[]): unknown {
  let node = context;
  for (const key of path) {
    node = child(node, key);
    if (node === undefined) return undefined;
  }
  return node;
}

const encoder = new TextEncoder();
const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

async function describePrompt(text: string, keepText: boolean): Promise<StoredPrompt> {
  const bytes = encoder.encode(text);
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  let sha256 = '';
  for (let i = 0; i < digest.length; i++) sha256 += HEX[digest[i]];
  return keepText ? { sha256, bytes: bytes.byteLength, text } : { sha256, bytes: bytes.byteLength };
}

/** The prompt as the record hashes it (llm.prompt as it is, or llm.messages as JSON), serialised at most once per record. */
interface PromptForms {
  text(): string | undefined;
  messagesJson(): string | undefined;
}

function promptForms(context: Record<string, unknown> | undefined): PromptForms {
  const llm = context?.llm;
  let json: string | undefined;
  const messagesJson = () => {
    if (json === undefined && isObject(llm) && Array.isArray(llm.messages)) json = JSON.stringify(llm.messages);
    return json;
  };
  const text = () => {
    if (!isObject(llm)) return undefined;
    if (typeof llm.prompt === 'string') return llm.prompt;
    return messagesJson();
  };
  return { text, messagesJson };
}

/** The context without prompt fields (unless STORE_PROMPTS) and with MASK_FIELDS masked, or 'too_large'. */
function privateContext(context: Record<string, unknown>, settings: PrivacySettings): Record<string, unknown> | 'too_large' {
  const skip = settings.storePrompts ? [] : PROMPT_FIELDS;
  if (settings.maskFields.length === 0) return copyContext(context, skip, MAX_CONTEXT_CHARS);
  // With masks the limit is on the masked copy (a large masked field may leave it small enough).
  const copy = copyContext(context, skip, Infinity) as Record<string, unknown>;
  for (const path of settings.maskFields) maskPath(copy, path.split('.'));
  return JSON.stringify(copy).length <= MAX_CONTEXT_CHARS ? copy : 'too_large';
}

/** Replaces the value at `path` with the mask, if it is there; walks objects and arrays. */
function maskPath(value: unknown, path: string[]): void {
  let node: unknown = value;
  for (let i = 0; i < path.length - 1; i++) {
    node = child(node, path[i]);
    if (node === undefined) return;
  }
  const last = path[path.length - 1];
  if (child(node, last) === undefined) return;
  (node as Record<string, unknown>)[last] = MASK;
}

function child(node: unknown, key: string): unknown {
  if (node === null || typeof node !== 'object') return undefined;
  if (Array.isArray(node) && !/^(0|[1-9][0-9]*)$/.test(key)) return undefined;
  if (!Object.prototype.hasOwnProperty.call(node, key)) return undefined;
  const v = (node as Record<string, unknown>)[key];
  return v === null ? undefined : v;
}

/** Who a context names (user, team, project ids), as a decision record stores them: MASK_FIELDS masked. */
export function privateSubject(context: object | undefined, maskFields: string[]): DecisionSubject {
  return maskSubject(subjectOf(context as Record<string, unknown> | undefined), maskFields);
}

function subjectOf(context: Record<string, unknown> | undefined): DecisionSubject {
  const subject: DecisionSubject = {};
  const id = (path: string) => {
    const v = child(child(context, path), 'id');
    return typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
  };
  const userId = id('user');
  const teamId = id('team');
  const projectId = id('project');
  if (userId !== undefined) subject.userId = userId;
  if (teamId !== undefined) subject.teamId = teamId;
  if (projectId !== undefined) subject.projectId = projectId;
  return subject;
}

function maskSubject(subject: DecisionSubject, maskFields: string[]): DecisionSubject {
  const out = { ...subject };
  if (out.userId !== undefined && maskFields.includes('user.id')) out.userId = MASK;
  if (out.teamId !== undefined && maskFields.includes('team.id')) out.teamId = MASK;
  if (out.projectId !== undefined && maskFields.includes('project.id')) out.projectId = MASK;
  return out;
}

function timeOf(time: number | string | undefined, nowMs: number): number {
  if (time === undefined) return nowMs;
  const ms = typeof time === 'number' ? time : Date.parse(time);
  if (!Number.isFinite(ms)) throw new RangeError(`decision time is not a valid date: ${String(time)}`);
  return ms;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

// The generator's contract: what the CLI and POST /v1/policies/generate send, and what they get.
import type { Policy } from '../../policy/types';
import type { TestCase } from '../../testing/test-file-schema';

export interface LlmSettings {
  provider: 'openai' | 'anthropic';
  /** OpenAI: up to /v1 (https://api.openai.com/v1); Anthropic: without /v1. */
  baseURL?: string;
  apiKey: string;
  model?: string;
  temperature?: number;
  /** For workerd's fetch or a test's. */
  fetch?: typeof fetch;
}

export interface GenerateRequest {
  text?: string;
  /** A suggestion (interfaces.md shape), optionally with a ready `policy` (and its `tests`). */
  suggestion?: object;
  /** A pattern: {id, version, description, scope?}. */
  pattern?: object;
  backend?: 'rules' | 'llm';
  shadow?: boolean;
  llm?: LlmSettings;
  /** The clock for metadata.source.generatedAt. */
  now?: () => Date;
}

export interface Gate {
  gate: string;
  ok: boolean;
  message?: string;
}

export type GenerateResult =
  | { ok: true; files: Record<string, string>; policies: Policy[]; gates: Gate[] }
  | { ok: false; error: { code: 'not_understood' | 'invalid'; message: string }; gates: Gate[] };

/** What a backend proposes before the gates: one policy and the tests that prove it. */
export interface Draft {
  policy: Policy;
  tests: TestCase[];
}

/** A backend's answer: a draft, or why it could not make one. */
export type Proposal = { ok: true; draft: Draft; generator: string } | { ok: false; code: 'not_understood' | 'invalid'; message: string; gates?: Gate[] };

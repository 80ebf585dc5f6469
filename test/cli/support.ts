// Running the CLI in tests: as a user does (a child process of bin/llm-policy.js) where the process
// boundary is the point, in-process through runCli where the point is what a command does.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';
import { memoryIo } from '../../src/cli/io';
import { runCli } from '../../src/cli/run';

export const BIN = fileURLToPath(new URL('../../bin/llm-policy.js', import.meta.url));
export const REPO = fileURLToPath(new URL('../..', import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** `node bin/llm-policy.js ...args`, in `cwd`, with `input` on stdin. */
export function spawnCli(args: string[], opts: { cwd?: string; input?: string } = {}): CliResult {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: opts.cwd ?? REPO,
    input: opts.input ?? '',
    encoding: 'utf8',
    env: { ...process.env, LLM_POLICY_DEBUG: '' },
  });
  if (result.error) throw result.error;
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** The same CLI in this process (no tsx start-up): for the many cases about a command's logic. */
export async function runInProcess(args: string[], stdin = ''): Promise<CliResult> {
  const io = memoryIo(stdin);
  const code = await runCli(args, io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

/** A temp folder removed after the test file; `write` creates files (and folders) inside it. */
export function tempDir(): { dir: string; path: (...parts: string[]) => string; write: (name: string, text: string) => string } {
  const dir = mkdtempSync(join(tmpdir(), 'llm-policy-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const path = (...parts: string[]) => join(dir, ...parts);
  return {
    dir,
    path,
    write(name, text) {
      const file = path(name);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, text);
      return file;
    },
  };
}

/** The seed README's policy, exactly as written there. */
export const SEED_POLICY = `metadata:
  id: cost-limit-policy
  name: Monthly Cost Limit
  version: 1.0.0
  namespace: production
  priority: 100

rules:
  - id: deny-expensive-models
    name: Deny requests exceeding cost threshold
    condition:
      operator: and
      conditions:
        - operator: gt
          field: llm.estimatedCost
          value: 1.0
        - operator: eq
          field: team.tier
          value: free
    action:
      decision: deny
      reason: Cost exceeds free tier limit ($1.00)

status: active
`;

/** The seed README's context argument, exactly as written there (it spans lines). */
export const SEED_CONTEXT = `{
  "llm": {
    "provider": "openai",
    "model": "gpt-4",
    "prompt": "Write a long essay...",
    "maxTokens": 2000
  },
  "team": {
    "id": "team-123",
    "tier": "free"
  }
}`;

/** No stack frames: a user sees one line, never `    at fn (file:line)`. */
export function expectNoStack(text: string): void {
  if (/^\s+at /m.test(text)) throw new Error(`output has a stack trace:\n${text}`);
}

/** `text` as a literal inside a RegExp (temp paths hold dots). */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

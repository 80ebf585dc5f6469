// A KvTarget that shells out to `npx wrangler kv key get/put/list`. With `remote: true` this is
// `--target remote`: it needs a Cloudflare login (`wrangler login` or CLOUDFLARE_API_TOKEN) and a
// real namespace id in wrangler.toml. With `remote: false` it reads the local state through
// wrangler's own CLI, which is how tests check what the local target wrote.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PolicyError } from '../policy/errors';
import type { KvTarget } from './kv-target';
import { type Command, formatCommand, kvGetCommand, kvListCommand, kvPutCommand, type WranglerKvScope } from './wrangler-kv-commands';

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}
export type CommandRunner = (command: Command) => Promise<CommandResult>;

// What `wrangler kv key get` prints on stdout, with exit code 0, for a missing key. Every value
// this project stores is JSON, so no real value can be this text.
const NOT_FOUND = 'Value not found';
const MAX_OUTPUT_BYTES = 256 * 1024 * 1024;

export class WranglerKvTarget implements KvTarget {
  readonly description: string;

  constructor(
    private readonly scope: WranglerKvScope,
    private readonly run: CommandRunner = runCommand,
  ) {
    const where = scope.location.remote ? `remote${scope.env ? `, --env ${scope.env}` : ''}` : `local, wrangler CLI${scope.location.persistTo ? `, ${scope.location.persistTo}` : ''}`;
    this.description = `KV ${scope.binding} (${where})`;
  }

  async get(key: string): Promise<string | null> {
    const out = await this.ok(kvGetCommand(this.scope, key));
    // wrangler ends the printed value with one newline of its own.
    const value = out.endsWith('\n') ? out.slice(0, -1) : out;
    return value === NOT_FOUND ? null : value;
  }

  async put(key: string, value: string): Promise<void> {
    const scratch = await mkdtemp(join(tmpdir(), 'llm-policy-put-'));
    try {
      const file = join(scratch, 'value.json');
      await writeFile(file, value);
      await this.ok(kvPutCommand(this.scope, key, file));
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  }

  async list(prefix: string): Promise<string[]> {
    const command = kvListCommand(this.scope, prefix);
    const out = await this.ok(command);
    try {
      const keys = JSON.parse(out) as { name: string }[];
      return keys.map((k) => k.name);
    } catch {
      throw new PolicyError('input_error', `${formatCommand(command)} printed something that is not a JSON key list: ${firstLine(out)}`);
    }
  }

  private async ok(command: Command): Promise<string> {
    const result = await this.run(command);
    if (result.code !== 0) {
      const why = firstLine(lastErrorLine(result.stderr) || result.stdout) || `exit code ${result.code}`;
      throw new PolicyError('input_error', `${formatCommand(command)} failed: ${why}`);
    }
    return result.stdout;
  }
}

function runCommand({ command, args }: Command): Promise<CommandResult> {
  return new Promise((resolveRun) => {
    execFile(command, args, { maxBuffer: MAX_OUTPUT_BYTES, env: { ...process.env, WRANGLER_SEND_METRICS: 'false' } }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolveRun({ code, stdout, stderr: stderr || (error && !stderr ? error.message : '') });
    });
  });
}

// wrangler prints a banner and blank lines before its error; the `✘ [ERROR] ...` line says why.
function lastErrorLine(stderr: string): string {
  const lines = stripAnsi(stderr).split('\n').map((l) => l.trim()).filter(Boolean);
  const error = lines.find((l) => l.includes('[ERROR]'));
  return error ? error.replace(/^.*?\[ERROR\]\s*/, '') : lines.at(-1) ?? '';
}

function stripAnsi(text: string): string {
  return text.replace(/\x1b\[[0-9;]*m/g, '');
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0] ?? '';
}

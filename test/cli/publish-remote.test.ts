// --target remote builds `npx wrangler kv key ...` commands; Cloudflare is not reachable from
// tests, so a recording runner stands in for the shell.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPair } from '../../src/bundle/index';
import { runPublishCli } from '../../src/publish/cli';
import { createTarget } from '../../src/publish/create-target';
import { formatCommand, kvGetCommand, kvListCommand, kvPutCommand } from '../../src/publish/wrangler-kv-commands';
import { WranglerKvTarget, type CommandResult } from '../../src/publish/wrangler-kv-target';
import type { Command } from '../../src/publish/wrangler-kv-commands';

const remote = { binding: 'BUNDLES', location: { remote: true } } as const;

function recorder(reply: (c: Command) => Partial<CommandResult> = () => ({})) {
  const calls: Command[] = [];
  const files: string[] = [];
  const run = async (c: Command): Promise<CommandResult> => {
    calls.push(c);
    const path = c.args[c.args.indexOf('--path') + 1];
    if (c.args.includes('--path')) files.push(await readFile(path, 'utf8'));
    return { code: 0, stdout: '', stderr: '', ...reply(c) };
  };
  return { calls, files, run };
}

describe('wrangler kv commands', () => {
  it('get, put and list against the remote namespace by binding', () => {
    expect(kvGetCommand(remote, 'pointer')).toEqual({ command: 'npx', args: ['wrangler', 'kv', 'key', 'get', 'pointer', '--text', '--binding', 'BUNDLES', '--remote'] });
    expect(kvPutCommand(remote, 'bundle:1.2.0', '/tmp/v.json')).toEqual({ command: 'npx', args: ['wrangler', 'kv', 'key', 'put', 'bundle:1.2.0', '--path', '/tmp/v.json', '--binding', 'BUNDLES', '--remote'] });
    expect(kvListCommand(remote, 'bundle:')).toEqual({ command: 'npx', args: ['wrangler', 'kv', 'key', 'list', '--prefix', 'bundle:', '--binding', 'BUNDLES', '--remote'] });
  });

  it('names the wrangler environment with --env, whose namespace id the command then uses', () => {
    const scope = { ...remote, env: 'production' };
    expect(kvPutCommand(scope, 'pointer', '/tmp/p.json').args).toEqual(['wrangler', 'kv', 'key', 'put', 'pointer', '--path', '/tmp/p.json', '--binding', 'BUNDLES', '--remote', '--env', 'production']);
    expect(kvGetCommand({ ...remote, env: '' }, 'pointer').args).not.toContain('--env');
  });

  it('local storage with --persist-to, and an explicit config', () => {
    const scope = { binding: 'BUNDLES', location: { remote: false, persistTo: '/tmp/state' }, configPath: 'wrangler.toml' } as const;
    expect(kvGetCommand(scope, 'pointer').args).toEqual(['wrangler', 'kv', 'key', 'get', 'pointer', '--text', '--binding', 'BUNDLES', '--local', '--persist-to', '/tmp/state', '--config', 'wrangler.toml']);
  });

  it('formats a command for a message, quoting what needs it', () => {
    expect(formatCommand({ command: 'npx', args: ['wrangler', 'kv', 'key', 'get', "it's here"] })).toBe(`npx wrangler kv key get 'it'\\''s here'`);
  });
});

describe('WranglerKvTarget', () => {
  it('--target remote is the wrangler CLI with --remote', async () => {
    const target = createTarget('remote');
    expect(target).toBeInstanceOf(WranglerKvTarget);
    // The README's Deploying section puts the namespace id under [env.production].
    expect(target.description).toBe('KV BUNDLES (remote, --env production)');
    expect(createTarget('remote', { env: 'staging' }).description).toBe('KV BUNDLES (remote, --env staging)');
    expect(createTarget('remote', { env: '' }).description).toBe('KV BUNDLES (remote)');
    expect(() => createTarget('local', { env: 'production' })).toThrow('--env goes with --target remote: the local target is the KV that npm run dev serves');
    expect(() => createTarget('cloud')).toThrow('--target must be local or remote, got "cloud"');
  });

  it('put passes the value through a file, not the command line', async () => {
    const r = recorder();
    const big = JSON.stringify({ text: 'x'.repeat(200_000) });
    await new WranglerKvTarget(remote, r.run).put('bundle:1.0.0', big);
    expect(r.calls[0].args.slice(0, 6)).toEqual(['wrangler', 'kv', 'key', 'put', 'bundle:1.0.0', '--path']);
    expect(r.files).toEqual([big]);
  });

  it('get returns the printed value without wrangler\'s trailing newline, and null when not found', async () => {
    const r = recorder((c) => ({ stdout: c.args[4] === 'pointer' ? '{"stable":"1.0.0"}\n' : 'Value not found\n' }));
    const target = new WranglerKvTarget(remote, r.run);
    expect(await target.get('pointer')).toBe('{"stable":"1.0.0"}');
    expect(await target.get('history')).toBeNull();
  });

  it('list reads the JSON key list', async () => {
    const r = recorder(() => ({ stdout: '[{"name":"bundle:1.0.0"},{"name":"bundle:1.1.0"}]\n' }));
    expect(await new WranglerKvTarget(remote, r.run).list('bundle:')).toEqual(['bundle:1.0.0', 'bundle:1.1.0']);
  });

  it('a failing command is one line naming the command and wrangler\'s error', async () => {
    const stderr = '\n\x1b[31m✘ \x1b[41;31m[\x1b[41;97mERROR\x1b[41;31m]\x1b[0m \x1b[1mIn a non-interactive environment, it\'s necessary to set a CLOUDFLARE_API_TOKEN\x1b[0m\n\n🪵  Logs were written to "x.log"\n';
    const r = recorder(() => ({ code: 1, stderr }));
    await expect(new WranglerKvTarget(remote, r.run).get('pointer')).rejects.toThrow(
      "npx wrangler kv key get pointer --text --binding BUNDLES --remote failed: In a non-interactive environment, it's necessary to set a CLOUDFLARE_API_TOKEN",
    );
  });
});

describe('publish --target remote', () => {
  async function publishRemote(...extra: string[]): Promise<{ code: number; calls: Command[]; err: string[] }> {
    const root = await mkdtemp(join(tmpdir(), 'publish-remote-'));
    try {
      await writeFile(join(root, 'allow.yaml'), 'metadata:\n  id: allow-all\nrules:\n  - id: everything\n    condition: true\n    action: { decision: allow }\n');
      const keyFile = join(root, 'private.key');
      await writeFile(keyFile, `${(await generateKeyPair()).privateKey}\n`);
      // An empty namespace: no value for any key, no keys listed.
      const r = recorder((c) => ({ stdout: c.args[3] === 'get' ? 'Value not found\n' : c.args[3] === 'list' ? '[]' : '' }));
      const err: string[] = [];
      const code = await runPublishCli([root, '--target', 'remote', '--key', keyFile, ...extra], {
        out: () => {},
        err: (l) => err.push(l),
        target: (kind, opts) => createTarget(kind, { ...opts, run: r.run }),
      });
      return { code, calls: r.calls, err };
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  }

  it('runs every wrangler command against [env.production] by default', async () => {
    const { code, calls, err } = await publishRemote();
    expect(err.filter((l) => l.startsWith('error'))).toEqual([]);
    expect(code).toBe(0);
    expect(calls.map((c) => c.args[3])).toEqual(expect.arrayContaining(['get', 'list', 'put']));
    for (const c of calls) expect(formatCommand(c)).toMatch(/ --binding BUNDLES --remote --env production$/);
  });

  it('--env names another environment, and --env \'\' the top-level namespace', async () => {
    for (const c of (await publishRemote('--env', 'staging')).calls) expect(formatCommand(c)).toMatch(/ --remote --env staging$/);
    for (const c of (await publishRemote('--env', '')).calls) expect(c.args).not.toContain('--env');
  });
});

// `.dev.vars`: the worker's local vars and secrets (the Workers convention, git-ignored).
// `npm run dev` writes it only when absent and otherwise leaves it alone, but checks that its
// BUNDLE_PUBLIC_KEY is the dev key's: with any other key the local worker refuses every bundle.
import { readFile, writeFile } from 'node:fs/promises';

export type DevVarsState =
  | { state: 'created' }
  | { state: 'ok' }
  | { state: 'mismatch'; found: string | undefined };

export function devVarsText(publicKey: string): string {
  return [
    '# Local development only (git-ignored, never deployed). Written by `npm run dev` when absent;',
    '# it is never overwritten, so edit freely. BUNDLE_PUBLIC_KEY must be .dev-keys/public.key.',
    'LOCAL_DEV=true',
    'ADMIN_TOKEN=dev-admin-token',
    `BUNDLE_PUBLIC_KEY=${publicKey}`,
    '# For the LLM proxy (/proxy/openai, /proxy/anthropic): the provider keys the worker sends',
    '# upstream (callers use client keys such as dev-client-key), and optionally other upstreams.',
    '# OPENAI_API_KEY=sk-...',
    '# ANTHROPIC_API_KEY=sk-ant-...',
    '# OPENAI_BASE_URL=http://127.0.0.1:9911',
    '',
  ].join('\n');
}

export async function ensureDevVars(file: string, publicKey: string): Promise<DevVarsState> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    await writeFile(file, devVarsText(publicKey), { mode: 0o600 });
    return { state: 'created' };
  }
  const found = readVar(text, 'BUNDLE_PUBLIC_KEY');
  return found === publicKey ? { state: 'ok' } : { state: 'mismatch', found };
}

/** A dotenv value: `KEY=value`, `KEY="value"` or `KEY='value'`, last one wins. */
export function readVar(text: string, name: string): string | undefined {
  let value: string | undefined;
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (match && match[1] === name) value = match[2].replace(/^(['"])(.*)\1$/, '$2');
  }
  return value;
}

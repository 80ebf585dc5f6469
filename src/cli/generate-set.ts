// The gates of `generate` that need the file system: the new policy beside the policies already in
// --out (authoring/generate/beside.ts, on the folder read from disk), and --replay over recorded
// decisions. Also the refusal to overwrite a file without --force.
import { access, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { besideGate } from '../authoring/generate/beside';
import type { Gate, GenerateResult } from '../authoring/generate/index';
import { loadPolicySet } from '../node/policy-set';
import { sourceOf } from '../policy/source';
import type { Policy } from '../policy/types';
import { CliError } from './errors';

type Written = Extract<GenerateResult, { ok: true }>;

export interface BesideResult {
  gates: Gate[];
  /** Lines to print after the gates (the replay report). */
  report: string[];
  /** The files to write (the test file narrowed where the policies beside it decide). */
  files: Record<string, string>;
}

export async function checkBeside(out: string, result: Written, replayFile: string | undefined): Promise<BesideResult> {
  const fileNames = Object.keys(result.files);
  const written = result.policies[0];
  const policy = enforced(written);
  const { policies: existing, testFiles } = await existingSet(out, fileNames);
  const gates: Gate[] = [];
  const report: string[] = [];
  const files = { ...result.files };
  if (existing.length) {
    const testName = fileNames.find((n) => n.endsWith('.test.yaml'))!;
    // The test file is the one written: for a shadow policy it speaks of shadow hits.
    const folder = { label: `beside ${out}`, policies: existing, testFiles: await Promise.all(testFiles.map(async (file) => ({ file, text: await readFile(file, 'utf8') }))) };
    const beside = await besideGate(folder, written, join(out, testName), result.files[testName]);
    gates.push(beside.gate);
    if (!beside.gate.ok) return { gates, report, files: result.files };
    files[testName] = beside.testText;
  }
  if (replayFile !== undefined) {
    const { replayGate } = await import('./generate-replay');
    const replayed = await replayGate(replayFile, [...existing, policy]);
    gates.push(replayed.gate);
    report.push(...replayed.report);
  }
  return { gates, report, files };
}

/** The policy as it will be enforced: shadow rules never match, and its tests describe enforcement. */
function enforced(policy: Policy): Policy {
  const { mode: _mode, ...metadata } = policy.metadata as Policy['metadata'] & { mode?: string };
  return { ...policy, metadata };
}

/** The policies of --out, without the files this run replaces. */
async function existingSet(out: string, replaced: string[]): Promise<{ policies: Policy[]; testFiles: string[] }> {
  const info = await stat(out).catch(() => undefined);
  if (!info) return { policies: [], testFiles: [] };
  if (!info.isDirectory()) throw new CliError(`${out}: --out must be a folder`);
  const set = await loadPolicySet(out);
  const replacedPaths = new Set(replaced.map((n) => resolve(out, n)));
  return {
    policies: set.policies.filter((p) => !replacedPaths.has(resolve(sourceOf(p)?.file ?? ''))),
    testFiles: set.testFiles.filter((f) => !replacedPaths.has(resolve(f))),
  };
}

export async function refuseOverwrite(out: string, names: string[], force: boolean): Promise<void> {
  if (force) return;
  for (const name of names) {
    const path = join(out, name);
    if (await access(path).then(() => true, () => false)) throw new CliError(`${path} exists: nothing written (use --force to replace it, or another --out)`);
  }
}

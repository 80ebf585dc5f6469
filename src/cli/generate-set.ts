// The gates of `generate` that need the file system: the new policy beside the policies already in
// --out (ids stay unique, their tests still pass, its own tests pass there, as `llm-policy test`
// will run them all), and
// --replay over recorded decisions. Also the refusal to overwrite a file without --force.
import { access, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseDocument, type YAMLMap, type YAMLSeq } from 'yaml';
import type { Gate, GenerateResult } from '../authoring/generate/index';
import { loadPolicySet } from '../node/policy-set';
import { PolicyError } from '../policy/errors';
import { sourceOf } from '../policy/source';
import type { Policy } from '../policy/types';
import { buildSuite, runTestText, type Suite } from '../testing/suite';
import type { TestResult } from '../testing/types';
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
    const beside = await besideGate(out, { policies: existing, testFiles }, written, join(out, testName), result.files[testName]);
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

/** The first test already in --out that passes without the new policy and fails with it. */
async function brokenByNew(testFiles: string[], without: Suite, withNew: Suite): Promise<TestResult | undefined> {
  for (const file of testFiles) {
    const text = await readFile(file, 'utf8');
    const before = new Set(runTestText(text, file, without).filter((r) => r.ok).map((r) => r.name));
    const broken = runTestText(text, file, withNew).find((r) => !r.ok && before.has(r.name));
    if (broken) return broken;
  }
  return undefined;
}

/**
 * Its tests beside the policies already in --out. A test whose decision another policy there
 * settles keeps only what it says about the new rules (matchedRules, notMatchedRules), which no
 * other policy can change; the test file is rewritten so, and the gate says how many.
 */
async function besideGate(out: string, set: { policies: Policy[]; testFiles: string[] }, policy: Policy, testFile: string, testText: string): Promise<{ gate: Gate; testText: string }> {
  const label = `beside ${out}`;
  const existing = set.policies;
  try {
    const suite = await buildSuite([...existing, policy]);
    const broken = await brokenByNew(set.testFiles, await buildSuite(existing), suite);
    if (broken) {
      return { gate: { gate: label, ok: false, message: `it changes what ${broken.file}${broken.line ? `:${broken.line}` : ''} "${broken.name}" expects: ${broken.message}` }, testText };
    }
    const failing = new Set(runTestText(testText, testFile, suite).filter((r) => !r.ok).map((r) => r.name));
    if (failing.size === 0) return { gate: { gate: label, ok: true, message: `its tests pass with the ${existing.length} policies already there` }, testText };
    const narrowed = narrowTests(testText, failing);
    const failed = runTestText(narrowed, testFile, suite).find((r) => !r.ok);
    if (failed) return { gate: { gate: label, ok: false, message: `${failed.file}${failed.line ? `:${failed.line}` : ''}: test "${failed.name}" fails with the ${existing.length} policies already there: ${failed.message}` }, testText };
    const message = `${failing.size} test(s) keep only their rule expectations: the ${existing.length} policies already there decide those requests`;
    return { gate: { gate: label, ok: true, message }, testText: narrowed };
  } catch (error) {
    if (error instanceof PolicyError) return { gate: { gate: label, ok: false, message: error.describe() }, testText };
    throw error;
  }
}

/** The test file with the named tests' expectations cut down to matchedRules and notMatchedRules. */
function narrowTests(text: string, names: Set<string>): string {
  const doc = parseDocument(text);
  const tests = doc.get('tests') as YAMLSeq<YAMLMap>;
  for (const test of tests.items) {
    if (!names.has(String(test.get('name')))) continue;
    const expect = test.get('expect') as YAMLMap;
    for (const key of ['decision', 'warnings', 'obligations', 'reasons']) expect.delete(key);
  }
  return doc.toString({ lineWidth: 0 });
}

export async function refuseOverwrite(out: string, names: string[], force: boolean): Promise<void> {
  if (force) return;
  for (const name of names) {
    const path = join(out, name);
    if (await access(path).then(() => true, () => false)) throw new CliError(`${path} exists: nothing written (use --force to replace it, or another --out)`);
  }
}

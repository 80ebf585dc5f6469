// The merged-folder gate of generate: the new policy beside the policies already in the folder it
// joins (ids stay unique, their tests still pass, its own tests pass there, as `llm-policy test`
// will run them all). No Node imports: the CLI reads the folder (--out), the worker takes the
// files the Studio sends.
import { parseDocument, type YAMLMap, type YAMLSeq } from 'yaml';
import { PolicyError } from '../../policy/errors';
import type { SourceFile } from '../../policy/source-files';
import type { Policy } from '../../policy/types';
import { buildSuite, runTestText, type Suite } from '../../testing/suite';
import type { TestResult } from '../../testing/types';
import type { Gate } from './types';

export interface BesideFolder {
  /** The gate's name: `beside my-policies`. */
  label: string;
  /** The folder's policies, without the files the generated ones replace. */
  policies: Policy[];
  /** The folder's test files, likewise. */
  testFiles: SourceFile[];
}

/**
 * Its tests beside the policies already there. A test whose decision another policy there
 * settles keeps only what it says about the new rules (matchedRules, notMatchedRules), which no
 * other policy can change; the test file is rewritten so, and the gate says how many.
 */
export async function besideGate(folder: BesideFolder, policy: Policy, testFile: string, testText: string): Promise<{ gate: Gate; testText: string }> {
  const { label, policies: existing } = folder;
  try {
    const suite = await buildSuite([...existing, policy]);
    const broken = brokenByNew(folder.testFiles, await buildSuite(existing), suite);
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

/** The first test already there that passes without the new policy and fails with it. */
function brokenByNew(testFiles: SourceFile[], without: Suite, withNew: Suite): TestResult | undefined {
  for (const { file, text } of testFiles) {
    const before = new Set(runTestText(text, file, without).filter((r) => r.ok).map((r) => r.name));
    const broken = runTestText(text, file, withNew).find((r) => !r.ok && before.has(r.name));
    if (broken) return broken;
  }
  return undefined;
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

// Turning command-line paths into something to evaluate: policy files and folders, or one compiled
// bundle (detected by its `format` member), into a Bundle, with warnings for files that held nothing.
import { readFile, stat } from 'node:fs/promises';
import { parseBundle } from '../bundle/index';
import { compileBundle, loadBundle } from '../engine/index';
import { loadPolicySources } from '../node/policy-set';
import { PolicyError } from '../policy/errors';
import type { Bundle, Evaluator, Policy } from '../policy/types';
import { CliError } from './errors';
import type { Io } from './io';

/** The version an ad-hoc bundle gets when compiled on the fly (evaluate, simulate). */
export const LOCAL_VERSION = '0.0.0-local';
/** Its creation time: fixed, so the same policies give the same bundle hash on every run. */
export const LOCAL_CREATED_AT = '1970-01-01T00:00:00Z';

export interface LoadedSource {
  kind: 'bundle' | 'policies';
  bundle: Bundle;
  /** As written (with source positions) for policy files; the bundle's own for a bundle. */
  policies: Policy[];
  /** Policy files read, or the bundle file. */
  files: string[];
  /** `*.test.yaml` files found in the folders given. */
  testFiles: string[];
}

export interface LoadOptions {
  version?: string;
  defaultDecision?: 'allow' | 'deny';
  /** Default LOCAL_CREATED_AT. */
  createdAt?: string;
}

/** Loads and compiles policy paths, or reads a bundle given as the only path. Warns on empty files. */
export async function loadSource(paths: string[], io: Io, opts: LoadOptions = {}): Promise<LoadedSource> {
  const policies = await readPoliciesOrBundle(paths, io);
  if (policies.bundle) return { ...policies, bundle: policies.bundle };
  const bundle = await compileBundle(policies.policies, {
    version: opts.version ?? LOCAL_VERSION,
    defaultDecision: opts.defaultDecision,
    createdAt: opts.createdAt ?? LOCAL_CREATED_AT,
  });
  return { ...policies, bundle };
}

/** loadBundle, naming the bundle file in what it throws (policies in a bundle have no positions). */
export function evaluatorOf(source: LoadedSource): Evaluator {
  try {
    return loadBundle(source.bundle);
  } catch (e) {
    if (e instanceof PolicyError && !e.file && source.kind === 'bundle') {
      throw new PolicyError(e.code, e.message, { file: source.files[0], path: e.path });
    }
    throw e;
  }
}

/** Like loadSource without compiling: what lint and diff need. `bundle` is absent for policy paths. */
export async function readPoliciesOrBundle(paths: string[], io: Io): Promise<Omit<LoadedSource, 'bundle'> & { bundle?: Bundle }> {
  const bundles = await Promise.all(paths.map(readBundleIfBundle));
  const bundleIndex = bundles.findIndex((b) => b !== undefined);
  if (bundleIndex >= 0) {
    if (paths.length > 1) throw new CliError(`${paths[bundleIndex]}: a bundle must be the only input (got ${paths.length} paths)`);
    const bundle = bundles[bundleIndex] as Bundle;
    return { kind: 'bundle', bundle, policies: bundle.policies, files: [paths[0]], testFiles: [] };
  }
  const set = await loadPolicySources(paths).catch(explainBundleInFolder);
  for (const file of set.emptyFiles) io.err(`warning: ${file}: no policies\n`);
  if (set.skippedFiles.length > 0) {
    const skipped = set.skippedFiles.map((s) => `${s.file} (${s.why})`).join(', ');
    io.err(`note: loaded ${set.files.length} policy file${set.files.length === 1 ? '' : 's'}${set.files.length ? `: ${set.files.join(', ')}` : ''}; skipped ${skipped}\n`);
  }
  if (set.files.length === 0) io.err(`warning: ${paths.join(', ')}: no policy files found\n`);
  return { kind: 'policies', policies: set.policies, files: set.files, testFiles: set.testFiles };
}

/**
 * A bundle when the file is a JSON object with a `format` member (a policy may not have one), else
 * undefined. Text that is not JSON is left to the policy parser, which reports it with a position.
 */
export async function readBundleIfBundle(path: string): Promise<Bundle | undefined> {
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile()) return undefined;
  const text = await readFile(path, 'utf8');
  if (!/^\uFEFF?\s*\{/.test(text)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || !('format' in value)) return undefined;
  return parseBundle(value, path);
}

/** A compiled bundle left in a policy folder fails as a policy ("unknown key format"): say what it is. */
async function explainBundleInFolder(e: unknown): Promise<never> {
  if (e instanceof PolicyError && e.file && e.path === 'format' && (await readBundleIfBundle(e.file).catch(() => undefined))) {
    throw new CliError(`${e.file}: a compiled bundle inside a policy folder; move it out or pass it on its own`);
  }
  throw e;
}

/** Reads a bundle file that must be one (sign, verify, status of a local file). */
export async function readBundleFile(path: string): Promise<Bundle> {
  return parseBundle(await readFile(path, 'utf8'), path);
}

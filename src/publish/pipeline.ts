// publish: load the policy set, lint (errors stop it), run its policy tests (failures stop it),
// compile, sign, upload `bundle:<version>`, then move the signed pointer to it: as the new stable,
// or with `canary` as a canary at that percent beside the current stable.
import { compareSemver, signBundle, type PointerGates, type SignedPointer } from '../bundle/index';
import { PolicyError } from '../policy/errors';
import { defaultActor } from './actor';
import { defaultSteps } from './default-steps';
import { bundleKey, type KvTarget } from './kv-target';
import { loadSigningKey, type SigningKey } from './keys';
import { movePointer, readRollout, type MoveOptions } from './pointer-store';
import { formatFinding, formatTestFailure, type Log } from './report';
import { checkCanaryPercent, checkNoRunningCanary, publishCanary, publishStable, type RolloutState } from './rollout';
import type { PublishSteps } from './steps';
import { chooseVersion, listBundleVersions } from './versions';

export interface PublishOptions {
  dir: string;
  target: KvTarget;
  /** Default: the next patch (see versions.ts). */
  version?: string;
  /** 1–99: publish as a canary at this percent, keeping the stable. */
  canary?: number;
  /** Publish although a canary is running (it is dropped, or replaced by this canary). */
  replaceCanary?: boolean;
  /** Gate overrides for this canary, signed into the pointer (checked with parseGates). Needs `canary`. */
  gates?: PointerGates;
  /** Private key file; or pass `key` already loaded. */
  keyFile?: string;
  key?: SigningKey;
  actor?: string;
  reason?: string;
  /** Findings, test failures and progress, one line each. */
  log?: Log;
  now?: () => Date;
  onUnverified?: MoveOptions['onUnverified'];
  /** Publish a bundle with no policies (every request gets the default decision). Dev only. */
  allowEmpty?: boolean;
  steps?: Partial<PublishSteps>;
}

export interface PublishResult {
  version: string;
  hash: string;
  /** The canary percent, when published as a canary. */
  canaryPercent?: number;
  pointer: SignedPointer;
  policies: number;
  warnings: number;
  tests: { passed: number; failed: number };
  /** With `replaceCanary`: the canary that was running and is now dropped or replaced. */
  replacedCanary?: string;
}

export async function publish(opts: PublishOptions): Promise<PublishResult> {
  const steps = { ...defaultSteps, ...opts.steps };
  const log = opts.log ?? (() => {});
  if (opts.canary !== undefined) checkCanaryPercent(opts.canary);
  if (opts.gates !== undefined && opts.canary === undefined) throw new PolicyError('input_error', '--gates needs --canary: gates apply to a canary, and a stable publish drops them');
  const key = opts.key ?? (await loadSigningKey(requireKeyFile(opts.keyFile)));

  const set = await steps.loadPolicySet(opts.dir);
  if (set.policies.length === 0 && !opts.allowEmpty) throw new PolicyError('input_error', `${opts.dir} holds no policies; refusing to publish an empty bundle`, { file: opts.dir });
  const warnings = checkLint(steps.lint(set.policies), log);
  const tests = set.testFiles.length > 0 ? await runTests(steps, opts.dir, log) : { passed: 0, failed: 0 };

  // Check the pointer before uploading anything: a pointer this key cannot verify stops here.
  const before = await readRollout(opts.target, key.publicKey, { onUnverified: opts.onUnverified, warn: log });
  checkNoRunningCanary(before.pointer, opts.replaceCanary === true);
  const version = chooseVersion(opts.version, await listBundleVersions(opts.target), before.pointer?.stable);
  if (opts.canary !== undefined) publishCanary(before.pointer, version, opts.canary);
  const bundle = await signBundle(await steps.compileBundle(set.policies, { version }), key.privateKey);
  await opts.target.put(bundleKey(version), JSON.stringify(bundle));
  log(`uploaded ${bundleKey(version)} (${bundle.hash}) to ${opts.target.description}`);

  const { pointer } = await movePointer(
    opts.target,
    key,
    ({ pointer: current }) => {
      assertStillNewest(version, current);
      checkNoRunningCanary(current, opts.replaceCanary === true);
      return opts.canary === undefined
        ? { action: 'publish', to: publishStable(version) }
        : { action: 'canary', to: publishCanary(current, version, opts.canary), gates: opts.gates };
    },
    { actor: opts.actor ?? defaultActor(), reason: opts.reason, now: opts.now, onUnverified: opts.onUnverified, warn: log },
  );
  return {
    version,
    hash: bundle.hash,
    ...(opts.canary !== undefined ? { canaryPercent: opts.canary } : {}),
    pointer,
    policies: set.policies.length,
    warnings,
    tests,
    ...(before.pointer?.canary ? { replacedCanary: before.pointer.canary } : {}),
  };
}

export function requireKeyFile(keyFile: string | undefined): string {
  if (!keyFile) throw new PolicyError('input_error', 'no signing key: pass --key FILE (a base64url PKCS#8 Ed25519 private key)');
  return keyFile;
}

/** Another publish may have moved the pointer while this one compiled: never point backwards. */
function assertStillNewest(version: string, current: RolloutState | null): void {
  for (const named of [current?.stable, current?.canary]) {
    if (named !== undefined && compareSemver(version, named) <= 0) {
      throw new PolicyError('input_error', `the pointer moved to ${named} while ${version} was being published; ${version} is uploaded but not pointed at`);
    }
  }
}

/** Prints errors and warnings (info is for `llm-policy lint`); stops on errors. Returns the number of warnings. */
function checkLint(findings: ReturnType<PublishSteps['lint']>, log: Log): number {
  for (const finding of findings) if (finding.severity !== 'info') log(formatFinding(finding));
  const errors = findings.filter((f) => f.severity === 'error').length;
  if (errors > 0) throw new PolicyError('input_error', `lint found ${errors} error${errors === 1 ? '' : 's'}; not publishing`);
  return findings.filter((f) => f.severity === 'warning').length;
}

async function runTests(steps: PublishSteps, dir: string, log: Log): Promise<{ passed: number; failed: number }> {
  const summary = await steps.runPolicyTests(dir);
  for (const result of summary.results) if (!result.ok) log(formatTestFailure(result));
  if (summary.failed > 0) throw new PolicyError('input_error', `${summary.failed} policy test${summary.failed === 1 ? '' : 's'} failed (${summary.passed} passed); not publishing`);
  return { passed: summary.passed, failed: summary.failed };
}

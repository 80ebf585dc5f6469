// The validation gates every generated policy passes before anything is written (seed 001's
// quality gates), in order, stopping at the first that fails: schema (the written file reads back
// as a valid policy) -> lint (errors block) -> fields (no field that no context provides) ->
// tests (the written test file passes, and touches every rule on both sides).
import { lint } from '../../lint/index';
import { PolicyError } from '../../policy/errors';
import { parsePolicies } from '../../policy/parse';
import type { Policy } from '../../policy/types';
import { buildSuite, runTestText } from '../../testing/suite';
import type { TestResult } from '../../testing/types';
import type { Rendered } from './render';
import type { Gate } from './types';

export async function runGates(rendered: Rendered, enforced: Policy): Promise<Gate[]> {
  const gates: Gate[] = [];
  const pass = (gate: Gate) => {
    gates.push(gate);
    return gate.ok;
  };
  const parsed = schemaGate(rendered);
  if (!pass(parsed.gate) || !parsed.policy) return gates;
  const findings = lint([parsed.policy]);
  const errors = findings.filter((f) => f.severity === 'error');
  const warnings = findings.filter((f) => f.severity === 'warning' && f.code !== 'unknown-field');
  if (!pass({ gate: 'lint', ok: errors.length === 0, message: errors.length ? describe(errors[0]) : warnings.length ? `${warnings.length} warning(s): ${describe(warnings[0])}` : undefined })) return gates;
  const unknown = findings.filter((f) => f.code === 'unknown-field');
  if (!pass({ gate: 'fields', ok: unknown.length === 0, message: unknown.length ? describe(unknown[0]) : undefined })) return gates;
  pass(await testsGate(rendered, enforced));
  return gates;
}

function schemaGate(rendered: Rendered): { gate: Gate; policy?: Policy } {
  try {
    const policies = parsePolicies(rendered.policyText, { filename: rendered.policyFile });
    if (policies.length !== 1) return { gate: { gate: 'schema', ok: false, message: `${rendered.policyFile}: expected one policy, got ${policies.length}` } };
    return { gate: { gate: 'schema', ok: true }, policy: policies[0] };
  } catch (error) {
    if (error instanceof PolicyError) return { gate: { gate: 'schema', ok: false, message: error.describe() } };
    throw error;
  }
}

/**
 * The tests run against the policy as it will be enforced (a shadow policy's rules never match,
 * by design), and must pass; every enabled rule must match in one test and not in another.
 */
async function testsGate(rendered: Rendered, enforced: Policy): Promise<Gate> {
  let results: TestResult[];
  try {
    results = runTestText(rendered.testText, rendered.testFile, await buildSuite([enforced]));
  } catch (error) {
    if (error instanceof PolicyError) return { gate: 'tests', ok: false, message: error.describe() };
    throw error;
  }
  const failed = results.find((r) => !r.ok);
  if (failed) return { gate: 'tests', ok: false, message: `${failed.file}${failed.line ? `:${failed.line}` : ''}: test "${failed.name}" fails: ${failed.message}` };
  for (const rule of enforced.rules.filter((r) => r.enabled !== false)) {
    const id = `${enforced.metadata.id}/${rule.id}`;
    const matchedIn = results.filter((r) => r.matchedRules?.includes(id)).length;
    if (matchedIn === 0) return { gate: 'tests', ok: false, message: `no test makes rule ${rule.id} match: add a test where it applies` };
    if (matchedIn === results.length) return { gate: 'tests', ok: false, message: `every test makes rule ${rule.id} match: add a test where it does not apply` };
  }
  return { gate: 'tests', ok: true, message: `${results.length} passed` };
}

function describe(f: { code: string; message: string; path?: string; ruleId?: string; suggestion?: string }): string {
  const where = f.path ? `${f.path}: ` : '';
  return `${where}${f.code}: ${f.message}${f.suggestion ? ` (${f.suggestion})` : ''}`;
}

/** With --shadow: the test file written beside the shadow policy passes against it. */
export async function shadowTestsGate(rendered: Rendered, shadowPolicy: Policy): Promise<Gate> {
  try {
    const results = runTestText(rendered.testText, rendered.testFile, await buildSuite([shadowPolicy]));
    const failed = results.find((r) => !r.ok);
    if (failed) return { gate: 'shadow', ok: false, message: `test "${failed.name}" fails against the shadow policy: ${failed.message}` };
    return { gate: 'shadow', ok: true, message: `${results.length} shadow tests passed` };
  } catch (error) {
    if (error instanceof PolicyError) return { gate: 'shadow', ok: false, message: error.describe() };
    throw error;
  }
}

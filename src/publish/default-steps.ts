// The real publishing stages: the project's loader, linter, policy test runner and compiler.
import { compileBundle } from '../engine/index';
import { lint } from '../lint/index';
import { loadPolicySet } from '../node/policy-set';
import { runPolicyTests } from '../testing/run';
import type { PublishSteps } from './steps';

export const defaultSteps: PublishSteps = {
  loadPolicySet,
  lint,
  runPolicyTests: (dir) => runPolicyTests(dir),
  compileBundle,
};

// Every subcommand, in the order `llm-policy --help` lists them.
import type { Command } from '../command';
import { compileCommand } from './compile';
import { diffCommand } from './diff';
import { evaluateCommand } from './evaluate';
import { keygenCommand } from './keygen';
import { lintCommand } from './lint';
import { promoteCommand } from './promote';
import { publishCommand } from './publish';
import { rollbackCommand } from './rollback';
import { signCommand } from './sign';
import { simulateCommand } from './simulate';
import { statusCommand } from './status';
import { testCommand } from './test';
import { verifyCommand } from './verify';

export const commands: Command[] = [
  evaluateCommand,
  compileCommand,
  lintCommand,
  testCommand,
  diffCommand,
  simulateCommand,
  keygenCommand,
  signCommand,
  verifyCommand,
  publishCommand,
  promoteCommand,
  rollbackCommand,
  statusCommand,
];

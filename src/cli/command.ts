// What every subcommand provides. run.ts handles `--help` for all of them before `run`.
import type { Io } from './io';

export interface Command {
  name: string;
  /** The full text of `llm-policy <name> --help`. */
  help: string;
  /** Returns the exit code. Throws UsageError, CliError or PolicyError for bad input. */
  run(argv: string[], io: Io): Promise<number>;
}

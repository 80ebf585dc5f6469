// Every subcommand, in the order `llm-policy --help` lists them.
import type { Command } from '../command';
import { evaluateCommand } from './evaluate';

export const commands: Command[] = [evaluateCommand];

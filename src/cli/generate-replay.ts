// --replay for generate: filled in with src/simulate/replay.ts once it lands on main.
import type { Gate } from '../authoring/generate/index';
import type { Policy } from '../policy/types';
import { CliError } from './errors';

export async function replayGate(file: string, _policies: Policy[]): Promise<{ gate: Gate; report: string[] }> {
  throw new CliError(`${file}: --replay is not available yet`);
}

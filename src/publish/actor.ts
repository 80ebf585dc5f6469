// Who moved the pointer, for the history: the --actor given, else the OS user name.
import { userInfo } from 'node:os';

export function defaultActor(): string {
  try {
    return process.env.LLM_POLICY_ACTOR || userInfo().username || 'unknown';
  } catch {
    // userInfo throws for a uid with no passwd entry (some containers).
    return process.env.USER || 'unknown';
  }
}

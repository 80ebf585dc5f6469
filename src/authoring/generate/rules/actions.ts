// What a sentence asks for, read from the words left once its phrases are taken out: deny, warn,
// require approval, allow only some models, limit, redact, cap the output.
import { FILLERS } from './phrases';
import { NotUnderstood, type Reader } from './reader';

export type Action = 'deny' | 'warn' | 'needs_approval' | 'only' | 'limit' | 'redact' | 'cap';

/** Longest and most specific first: "limit output to" is a cap, "may only use" is not "may not use". */
const HEADS: Array<[Action, string]> = [
  ['cap', String.raw`(?:cap|clamp|limit|restrict|truncate|reduce)\s(?:the\s)?(?:max(?:imum)?\s)?(?:output|outputs|responses?|completions?|answers?|generations?|max tokens|output tokens|completion tokens)(?:\s(?:length|size))?(?:\s(?:at|to))?`],
  ['needs_approval', String.raw`(?:require|requires|need|needs|ask for|hold for|send for|route to)\s(?:an?\s)?(?:human\s|manual\s|explicit\s|admin\s)?approvals?|(?:needs?\sto|must)\sbe\sapproved`],
  ['only', String.raw`(?:may|can|should|must|shall)\sonly\s(?:use|call)|only\s(?:allow|permit)|(?:allow|permit)\sonly|only`],
  ['deny', String.raw`(?:may|must|should|can|shall)\snot\s(?:use|call)|(?:cannot|can't|mustn't|shouldn't|can\snot)\s(?:use|call)|(?:are|is)\s(?:not\sallowed|forbidden|not\spermitted)\sto\s(?:use|call)`],
  ['limit', String.raw`(?:limit|restrict|cap)(?:\s(?:spend|spending|usage|use|cost|costs))?(?:\s(?:to|at))?|(?:allow\s)?(?:at\smost|no\smore\sthan|up\sto|a\smaximum\sof|max(?:imum)?(?:\sof)?)|budget(?:\sof)?|spend(?:ing)?\sat\smost`],
  ['warn', String.raw`(?:warn|alert|flag|notify)(?:\s(?:me|us|the\steam))?(?:\s(?:about|on))?`],
  ['redact', String.raw`(?:redact|mask|scrub|strip|remove|hide|anonymi[sz]e)`],
  ['deny', String.raw`deny|block|reject|refuse|forbid|disallow|ban|prevent|stop|disable|prohibit|no|never\sallow|(?:may|must|can|should|shall)\snot|cannot|can't|not\sallowed`],
];

/** "implement error budget burn rate alerting": a warn rule with a name. */
const NAMED_ALERT = String.raw`(?:implement|add|enable|set\sup|create|configure|introduce)\s(?:an?\s)?([a-z0-9 -]+?)\s(?:alerting|alerts?|alarms?|warnings?)`;

export interface ReadAction {
  action: Action;
  /** The alert's own name, when the sentence gives one. */
  name?: string;
}

export function readAction(r: Reader): ReadAction {
  const found: ReadAction[] = [];
  const named = r.takeOne(NAMED_ALERT);
  if (named) found.push({ action: 'warn', name: named[1].trim() });
  for (const [action, pattern] of HEADS) {
    r.take(pattern, () => found.push({ action }));
  }
  const left = r.words().filter((w) => !FILLERS.has(w));
  if (left.length) throw new NotUnderstood(`could not place "${left.join(' ')}"`);
  if (found.length === 0) throw new NotUnderstood('it says no action: start with deny, block, warn, limit, only, redact, cap or require approval');
  const actions = [...new Set(found.map((f) => f.action))];
  if (actions.length > 1) throw new NotUnderstood(`it asks for ${actions.join(' and ')} at once: write one sentence for each`);
  return found.find((f) => f.name) ?? found[0];
}

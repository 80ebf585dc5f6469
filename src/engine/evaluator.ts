// Evaluate a context against compiled rules and combine the matches (spec §3).

import type {
  Bundle, ConditionTrace, Decision, EvaluateOptions, Evaluator, FinalDecision, MatchedRule, Obligation, RuleTrace, ShadowMatch, Warning,
} from '../policy/types';
import { Code, compare, evalLeaf, type LeafDescriptor } from './fast-leaf';
import { KNOWN_COUNT, readKnownInto } from './known-paths';
import { mergeInOrder, NO_SLOT, rulesOf, type Candidates, type RuleIndex } from './rule-index';
import type { CompiledRule } from './rule';
import { requestNamespace } from './namespace';

export interface StageRules {
  rules: CompiledRule[];
  index: RuleIndex;
}

const now: () => number = typeof performance !== 'undefined' ? () => performance.now() : () => Date.now();

/** Shared by every Decision with nothing in that list (frozen: no caller may add to another's). */
const EMPTY = Object.freeze([]) as unknown as never[];
const RESPONSE_DEFAULT = Object.freeze(['no response rule matched: allow']) as unknown as string[];

export class CompiledEvaluator implements Evaluator {
  private readonly bundleRef: { version: string; hash: string };
  private readonly defaultDecision: FinalDecision;
  private readonly defaultReasons: string[];
  /** Most bundles scope nothing by namespace; then the request's namespace need not be read. */
  private readonly scoped: boolean;
  /** Spec §10: with any shadow rule in the bundle, every Decision carries `shadow`. */
  private readonly hasShadow: boolean;
  /** The matched rules of the evaluation in progress, reused so matching allocates nothing. */
  private readonly scratch: CompiledRule[] = [];
  /** The known fields of this evaluation (readKnownInto), reused like `scratch`. */
  private readonly slots: unknown[] = new Array(KNOWN_COUNT).fill(undefined);
  /** A getter or template that evaluates again while this one runs gets fresh lists instead. */
  private scratchInUse = false;

  constructor(
    readonly bundle: Bundle,
    private readonly stages: Record<'request' | 'response', StageRules>,
  ) {
    this.bundleRef = Object.freeze({ version: bundle.version, hash: bundle.hash });
    this.defaultDecision = bundle.defaultDecision === 'deny' ? 'deny' : 'allow';
    this.defaultReasons = Object.freeze([`no rule matched: default ${this.defaultDecision}`]) as unknown as string[];
    const all = [...stages.request.rules, ...stages.response.rules];
    this.scoped = all.some((r) => r.namespace !== undefined);
    this.hasShadow = all.some((r) => r.shadow);
  }

  /**
   * `evaluationMicros` is measured only with `{timing: true}` (two clock reads cost about as much as
   * the evaluation itself, and in Workers the clock does not move without I/O); otherwise it is 0.
   */
  evaluate(context: object, opts?: EvaluateOptions): Decision {
    const timing = opts?.timing === true;
    const started = timing ? now() : 0;
    const responseStage = opts?.stage === 'response';
    const stage = responseStage ? this.stages.response : this.stages.request;
    const namespace = this.scoped ? requestNamespace(context) : undefined;
    let result: Decision;
    let run: MatchRun | undefined;
    if (opts?.explain === true) {
      run = matchCarefully(stage.rules, context, namespace, []);
      result = this.decide(context, run.hits, run.hits.length, run, responseStage);
    } else {
      const { unguarded, knownMask } = stage.index;
      const shared = !this.scratchInUse;
      const hits = shared ? this.scratch : [];
      const slots = shared ? this.slots : new Array(KNOWN_COUNT);
      this.scratchInUse = true;
      try {
        // A field that throws when read (a failed enrichment) sends the pass to matchCarefully below.
        readKnownInto(context, knownMask, slots);
        const found = stage.index.find(context, slots);
        const split = matchInto(unguarded, context, slots, namespace, hits, 0);
        const count = matchInto(found, context, slots, namespace, hits, split);
        if (split > 0 && count > split) sortByOrder(hits, count);
        result = this.decide(context, hits, count, undefined, responseStage);
      } catch {
        // Rare: some rule threw. Redo the pass rule by rule so each failure follows its onError.
        run = matchCarefully(candidateRules(stage, context), context, namespace);
        result = this.decide(context, run.hits, run.hits.length, run, responseStage);
      }
      if (shared) this.scratchInUse = false;
    }
    if (opts?.requestId !== undefined) result.requestId = opts.requestId;
    if (run?.errors) result.errors = run.errors;
    if (run?.trace) result.trace = run.trace;
    if (timing) result.evaluationMicros = Math.round((now() - started) * 1000) / 1000;
    return result;
  }

  /**
   * Combine the matched rules (spec §3). `hits` are in rule order, so the top tier comes first.
   * At the response stage the request was already allowed, so with no matching rule the answer
   * stands (allow): a deny-by-default bundle must not deny every answer. Shadow rules (spec §10)
   * take no part: they are only listed in `shadow`. Lists with nothing in them are the shared
   * EMPTY, a lone match or constant reason its rule's pre-built one. Only `hits[0..count)` count:
   * the rest of the reused list is stale.
   */
  private decide(context: object, hits: readonly CompiledRule[], count: number, run: MatchRun | undefined, responseStage: boolean): Decision {
    // The common outcomes first: no match, or one allow/deny/needs_approval rule without obligations.
    if (run === undefined && count <= 1 && !this.hasShadow) {
      if (count === 0) return this.newDecision(responseStage ? 'allow' : this.defaultDecision, responseStage ? RESPONSE_DEFAULT : this.defaultReasons, EMPTY, EMPTY, EMPTY);
      const rule = hits[0];
      if (rule.authoritative && rule.obligations === undefined) {
        const reasons = (rule.reasonAlone as string[] | undefined) ?? [reasonOf(rule, context)];
        return this.newDecision(rule.decision as FinalDecision, reasons, rule.matchedAlone as MatchedRule[], EMPTY, EMPTY);
      }
    }
    const failedClosed = run?.failedClosed;
    let top = -Infinity;
    let sawDeny = false;
    let sawApproval = false;
    let matched = 0;
    let lone: CompiledRule | undefined;
    let warns = false;
    let obliges = false;
    for (let i = 0; i < count; i++) {
      const rule = hits[i];
      if (rule.shadow) continue;
      matched++;
      lone = rule;
      if (rule.authoritative && (top === -Infinity || rule.priority === top)) {
        top = rule.priority;
        if (rule.decision === 'deny') sawDeny = true;
        else if (rule.decision === 'needs_approval') sawApproval = true;
      }
      if (rule.decision === 'warn') warns = true;
      if (rule.obligations !== undefined) obliges = true;
    }
    const decided = top !== -Infinity;
    const decision: FinalDecision = failedClosed ? 'deny'
      : !decided ? (responseStage ? 'allow' : this.defaultDecision) : sawDeny ? 'deny' : sawApproval ? 'needs_approval' : 'allow';

    let matchedRules: MatchedRule[];
    if (matched === 0) matchedRules = EMPTY;
    else if (matched === 1) matchedRules = lone!.matchedAlone as MatchedRule[];
    else {
      matchedRules = new Array(matched);
      for (let i = 0, k = 0; i < count; i++) if (!hits[i].shadow) matchedRules[k++] = hits[i].match;
    }

    let reasons: string[];
    if (failedClosed) {
      reasons = failedClosed;
      if (decided) for (let i = 0; i < count; i++) {
        const rule = hits[i];
        if (!rule.shadow && rule.priority === top && rule.decision === decision) reasons.push(reasonOf(rule, context));
      }
    } else if (!decided) {
      reasons = responseStage ? RESPONSE_DEFAULT : this.defaultReasons;
    } else {
      reasons = this.reasonsOf(context, hits, count, top, decision);
    }

    let warnings: Warning[] = EMPTY;
    if (warns) {
      warnings = [];
      for (let i = 0; i < count; i++) {
        const rule = hits[i];
        if (!rule.shadow && rule.decision === 'warn') warnings.push({ policyId: rule.policyId, ruleId: rule.ruleId, message: reasonOf(rule, context) });
      }
    }
    let obligations: Obligation[] = EMPTY;
    if (obliges && decision === 'allow') {
      obligations = [];
      for (let i = 0; i < count; i++) {
        const rule = hits[i];
        if (!rule.shadow && rule.obligations) for (const o of rule.obligations) obligations.push(o);
      }
    }
    const result = this.newDecision(decision, reasons, matchedRules, warnings, obligations);
    if (this.hasShadow) result.shadow = shadowMatches(run ?? { hits: hits.slice(0, count) });
    return result;
  }

  /** Every Decision is built here, so all have one shape (property order) for their readers. */
  private newDecision(decision: FinalDecision, reasons: string[], matchedRules: MatchedRule[], warnings: Warning[], obligations: Obligation[]): Decision {
    return { decision, allowed: decision === 'allow', reasons, matchedRules, warnings, obligations, bundle: this.bundleRef, evaluationMicros: 0 };
  }

  /** The reasons of the top tier's rules that gave the decision, in rule order, in a list of exact size. */
  private reasonsOf(context: object, hits: readonly CompiledRule[], count: number, top: number, decision: FinalDecision): string[] {
    let n = 0;
    let first: CompiledRule | undefined;
    for (let i = 0; i < count; i++) {
      const rule = hits[i];
      if (rule.shadow || rule.priority !== top || rule.decision !== decision) continue;
      if (n++ === 0) first = rule;
    }
    if (n === 1) return (first!.reasonAlone as string[] | undefined) ?? [reasonOf(first!, context)];
    const reasons: string[] = new Array(n);
    for (let i = 0, k = 0; i < count; i++) {
      const rule = hits[i];
      if (!rule.shadow && rule.priority === top && rule.decision === decision) reasons[k++] = reasonOf(rule, context);
    }
    return reasons;
  }
}

function reasonOf(rule: CompiledRule, context: object): string {
  return rule.reasonText ?? rule.reason(context);
}

/** The matched shadow rules in rule order, with a failing one that would have denied as a deny. */
function shadowMatches(run: MatchRun): ShadowMatch[] {
  const shadow: ShadowMatch[] = [];
  for (const rule of run.hits) if (rule.shadow) shadow.push(rule.shadowMatch!);
  if (!run.shadowFailedClosed) return shadow;
  const rules = [...run.hits.filter((r) => r.shadow), ...run.shadowFailedClosed].sort((a, b) => a.order - b.order);
  return rules.map((r) => (run.shadowFailedClosed!.includes(r) ? { policyId: r.policyId, ruleId: r.ruleId, decision: 'deny' } : r.shadowMatch!));
}

/** The rules the index offers for the careful pass; all of them if the guard field itself throws. */
function candidateRules(stage: StageRules, context: object): readonly CompiledRule[] {
  let found: Candidates;
  try {
    found = stage.index.find(context);
  } catch {
    return stage.rules;
  }
  return mergeInOrder(rulesOf(stage.index.unguarded), rulesOf(found));
}

interface MatchRun {
  hits: CompiledRule[];
  errors?: NonNullable<Decision['errors']>;
  /** Reasons of rules whose failure denies the request (onError: deny on a non-deny rule). */
  failedClosed?: string[];
  /** Shadow rules whose failure would have denied the request (their onError: deny on a non-deny rule). */
  shadowFailedClosed?: CompiledRule[];
  trace?: RuleTrace[];
}

function outOfScope(rule: CompiledRule, namespace: string | undefined): boolean {
  return rule.namespace !== undefined && namespace !== undefined && rule.namespace !== namespace;
}

/**
 * The hot path: no try/catch, no trace; writes the candidates that match to `hits` from `count` on.
 * A rule's leaves read known fields from `slots` (read once for this evaluation).
 */
function matchInto(candidates: Candidates, context: object, slots: readonly unknown[], namespace: string | undefined, hits: CompiledRule[], count: number): number {
  const program = candidates;
  // Written by index, never shortened: setting `length = 0` would free the list's storage.
  let p = 0;
  while (p < program.length) {
    const rule = program[p] as CompiledRule;
    const n = program[p + 1] as number;
    p += 2;
    // No namespace to be out of (or none scoped in the bundle): a rule is read only when it matched.
    const skip = namespace !== undefined && outOfScope(rule, namespace);
    if (n < 0) {
      if (!skip && (program[p] as (ctx: unknown) => boolean)(context)) hits[count++] = rule;
      p++;
      continue;
    }
    const end = p + n;
    if (skip) { p = end; continue; }
    while (p < end) {
      const op = program[p] as number;
      const code = op >> 5;
      if (code === Code.In || code === Code.NotIn) {
        const size = program[p + 1] as number;
        if (inInline(slots[op & NO_SLOT], program, p + 2, size) !== (code === Code.In)) break;
        p += 2 + size;
        continue;
      }
      const pass = op === NO_SLOT ? evalLeaf(program[p + 1] as LeafDescriptor, context) : compare(code, slots[op & NO_SLOT], program[p + 1]);
      if (!pass) break;
      p += 2;
    }
    if (p === end) hits[count++] = rule;
    else p = end;
  }
  return count;
}

/** `in` over a list inline in the program (scalars without NaN): x is one, or a list sharing one. */
function inInline(x: unknown, program: readonly unknown[], from: number, size: number): boolean {
  if (typeof x !== 'object') return oneOfInline(x, program, from, from + size);
  if (!Array.isArray(x)) return false;
  for (let i = 0; i < x.length; i++) if (oneOfInline(x[i], program, from, from + size)) return true;
  return false;
}

function oneOfInline(x: unknown, program: readonly unknown[], from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (program[i] === x) return true;
  return false;
}

/** Unguarded hits then bucket hits, each in rule order: an insertion sort of a short list. */
function sortByOrder(hits: CompiledRule[], count: number): void {
  for (let i = 1; i < count; i++) {
    const rule = hits[i];
    let j = i - 1;
    while (j >= 0 && hits[j].order > rule.order) { hits[j + 1] = hits[j]; j--; }
    hits[j + 1] = rule;
  }
}

/** Rule by rule, catching failures (and recording a trace when asked). */
function matchCarefully(rules: readonly CompiledRule[], context: object, namespace: string | undefined, trace?: RuleTrace[]): MatchRun {
  const run: MatchRun = { hits: [], trace };
  for (const rule of rules) {
    if (outOfScope(rule, namespace)) {
      trace?.push({ policyId: rule.policyId, ruleId: rule.ruleId, priority: rule.priority, skipped: 'namespace', ...(rule.shadow ? { shadow: true as const } : {}), matched: false });
      continue;
    }
    let matched: boolean;
    try {
      matched = rule.test(context);
    } catch (err) {
      if (rule.shadow) {
        // A shadow rule never touches the decision nor its errors; it reports what its onError would have done.
        matched = rule.onError === 'deny' && rule.decision === 'deny';
        if (rule.onError === 'deny' && !matched) (run.shadowFailedClosed ??= []).push(rule);
        if (trace) trace.push({ policyId: rule.policyId, ruleId: rule.ruleId, priority: rule.priority, shadow: true, matched, condition: safeTrace(rule, context) });
        if (matched) run.hits.push(rule);
        continue;
      }
      // A rule that cannot be evaluated follows its onError (spec extension for the proxy).
      (run.errors ??= []).push({ policyId: rule.policyId, ruleId: rule.ruleId, message: String((err as Error)?.message ?? err), onError: rule.onError });
      // onError deny on a deny rule: the rule counts as matched. On any other rule it denies the
      // request outright (fail closed), since we cannot tell what the rule would have decided.
      matched = rule.onError === 'deny' && rule.decision === 'deny';
      if (rule.onError === 'deny' && !matched) (run.failedClosed ??= []).push(`evaluation of ${rule.policyId}/${rule.ruleId} failed`);
    }
    if (trace) {
      const entry: RuleTrace = { policyId: rule.policyId, ruleId: rule.ruleId, priority: rule.priority, matched, condition: safeTrace(rule, context) };
      if (rule.shadow) entry.shadow = true;
      trace.push(entry);
    }
    if (matched) run.hits.push(rule);
  }
  return run;
}

function safeTrace(rule: CompiledRule, context: object): ConditionTrace | undefined {
  try {
    return rule.node.trace(context);
  } catch {
    return undefined;
  }
}

// missing-reason: a deny or needs_approval without a reason tells the caller only
// "deny by <policy>/<rule>" (error); a reason under 10 characters explains little (warning); an
// allow or warn rule without one falls back to the same generic text (info). modify rules are
// left alone: their reason is never shown. A draft or disabled rule gets a warning instead of the
// error, so work in progress does not block publishing the rest.
import { findingAt, type LintFinding } from '../finding';
import type { Check, RuleEntry } from '../lint-set';
import { ruleLabel } from '../lint-set';

const MIN_LENGTH = 10;

const EXAMPLES: Record<string, string> = {
  deny: 'Cost {{llm.estimatedCost}} exceeds the free tier limit',
  needs_approval: 'Requests over $5 need a team lead\'s approval',
  allow: 'Admins may use every model',
  warn: 'Prompt may contain PII',
};

export const checkMissingReasons: Check = (set) => set.rules.flatMap((entry) => {
  const finding = reasonFinding(entry);
  return finding ? [finding] : [];
});

function reasonFinding(entry: RuleEntry): LintFinding | undefined {
  const { decision, reason } = entry.rule.action;
  if (decision === 'modify') return undefined;
  const text = typeof reason === 'string' ? reason.trim() : '';
  const example = `e.g. reason: "${EXAMPLES[decision]}"`;
  const at = (path: string, severity: LintFinding['severity'], message: string, suggestion: string) =>
    findingAt(entry.policy, `${entry.path}.${path}`, { severity, code: 'missing-reason', message, suggestion }, entry.rule.id);
  if (text === '') {
    // The engine falls back to "<decision> by <policy>/<rule>" only for a missing or empty reason.
    const shown = reason ? 'a blank reason' : `only "${decision} by ${ruleLabel(entry)}"`;
    if (decision === 'deny' || decision === 'needs_approval') {
      const message = `${decision} rule has no reason: callers are told ${shown}`;
      if (!entry.live) return at('action', 'warning', `${message} (an error once the rule is enabled and its policy active)`, `add action.reason, ${example}`);
      return at('action', 'error', message, `add action.reason saying why and what to do, ${example}`);
    }
    return at('action', 'info', `${decision} rule has no reason: it reports ${shown}`, `add action.reason, ${example}`);
  }
  if (text.length < MIN_LENGTH) {
    return at('action.reason', 'warning', `reason "${text}" is shorter than ${MIN_LENGTH} characters and explains little`, `say why and what to do instead, ${example}`);
  }
  return undefined;
}

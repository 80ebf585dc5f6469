// llm-policy export: a policy set in another engine's language, where it can be expressed.
import type { Policy } from '../../policy/types';
import { exportCedar, type CedarExport } from './cedar';
import { exportCel } from './cel';
import { planExport, type ExportFormat, type ExportResult } from './plan';
import { exportRego } from './rego';

export const EXPORT_FORMATS: readonly ExportFormat[] = ['cedar', 'cel', 'rego'];

const TARGETS = { cedar: exportCedar, cel: exportCel, rego: exportRego } as const;

interface ExportOptions<F extends ExportFormat> {
  format: F;
  defaultDecision?: 'allow' | 'deny';
}

/** A Cedar export also says the type of each context field (what toCedarContext converts to). */
export function exportPolicies(policies: readonly Policy[], opts: ExportOptions<'cedar'>): CedarExport;
export function exportPolicies(policies: readonly Policy[], opts: ExportOptions<ExportFormat>): ExportResult;
export function exportPolicies(policies: readonly Policy[], opts: ExportOptions<ExportFormat>): ExportResult {
  return TARGETS[opts.format](planExport(policies, opts.defaultDecision ?? 'allow'));
}

export { toCedarContext, CedarContractError } from './cedar-context';
export type { ExportFormat, ExportResult, Gap } from './plan';
export type { CedarExport } from './cedar';

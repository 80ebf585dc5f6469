// Figures for a scored, labelled set: ROC AUC, and precision, recall and false-positive rate at a
// threshold. Shared by the trainer (its manifest) and bench/injection.ts.

export interface Scored {
  score: number;
  label: 0 | 1;
}

/** ROC AUC by ranks (ties share their mean rank); undefined unless both classes are present. */
export function rocAuc(rows: Scored[]): number | undefined {
  const positives = rows.filter((r) => r.label === 1).length;
  const negatives = rows.length - positives;
  if (positives === 0 || negatives === 0) return undefined;
  const sorted = [...rows].sort((a, b) => a.score - b.score);
  let rankSum = 0;
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j < sorted.length && sorted[j]!.score === sorted[i]!.score) j++;
    const meanRank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) if (sorted[k]!.label === 1) rankSum += meanRank;
    i = j;
  }
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

export interface AtThreshold {
  precision?: number;
  recall?: number;
  fpr?: number;
  tp: number;
  fp: number;
  fn: number;
  tn: number;
}

export function atThreshold(rows: Scored[], threshold: number): AtThreshold {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  for (const r of rows) {
    const flagged = r.score >= threshold;
    if (r.label === 1) flagged ? tp++ : fn++;
    else flagged ? fp++ : tn++;
  }
  const ratio = (a: number, b: number): number | undefined => (b > 0 ? a / b : undefined);
  return { precision: ratio(tp, tp + fp), recall: ratio(tp, tp + fn), fpr: ratio(fp, fp + tn), tp, fp, fn, tn };
}

export interface SplitFigures extends AtThreshold {
  rows: number;
  attacks: number;
  auc?: number;
}

export function figures(rows: Scored[], threshold: number): SplitFigures {
  return { rows: rows.length, attacks: rows.filter((r) => r.label === 1).length, auc: rocAuc(rows), ...atThreshold(rows, threshold) };
}

const fmt = (v: number | undefined): string => (v === undefined ? 'n/a' : v.toFixed(3));

/** One markdown table row: name, rows, attacks, AUC, precision, recall, FPR. */
export function figuresRow(name: string, f: SplitFigures): string {
  return `| ${name} | ${f.rows} | ${f.attacks} | ${fmt(f.auc)} | ${fmt(f.precision)} | ${fmt(f.recall)} | ${fmt(f.fpr)} |`;
}

export const FIGURES_HEADER = '| set | rows | attacks | ROC AUC | precision | recall | FPR |\n|---|---|---|---|---|---|---|';

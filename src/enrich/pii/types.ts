/** The PII kinds enrichment reports in `llm.piiTypes` and `redact_pii` accepts, in report order. */
export const PII_TYPES = ['email', 'phone', 'credit_card', 'ssn', 'iban', 'ip_address', 'secret'] as const;
export type PiiType = (typeof PII_TYPES)[number];

/** A half-open range [start, end) of UTF-16 code units in the scanned text. */
export interface Span {
  start: number;
  end: number;
}

export interface PiiMatch extends Span {
  type: PiiType;
}

export interface Detector {
  type: PiiType;
  find(text: string): Span[];
}

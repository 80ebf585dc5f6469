/** The PII kinds enrichment reports in `llm.piiTypes` and `redact_pii` accepts. */
export type PiiType = 'email' | 'phone' | 'credit_card' | 'ssn' | 'iban' | 'ip_address' | 'secret';

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

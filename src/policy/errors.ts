// The one error class the library throws. Every error says where: file, path, line, column.

export type PolicyErrorCode =
  | 'parse_error'        // YAML/JSON syntax, duplicate keys
  | 'schema_error'       // shape does not match the language
  | 'compile_error'      // a valid shape that cannot compile (bad regex, duplicate ids)
  | 'bundle_error'       // malformed bundle, hash mismatch
  | 'signature_error'    // bad keys or signature
  | 'input_error';       // bad CLI/library input (context not an object, file missing)

export interface PolicyErrorDetails {
  file?: string;
  document?: number;
  path?: string;
  line?: number;
  column?: number;
}

export class PolicyError extends Error {
  readonly code: PolicyErrorCode;
  readonly file?: string;
  readonly document?: number;
  readonly path?: string;
  readonly line?: number;
  readonly column?: number;

  constructor(code: PolicyErrorCode, message: string, details: PolicyErrorDetails = {}) {
    super(message);
    this.name = 'PolicyError';
    this.code = code;
    Object.assign(this, stripUndefined(details));
  }

  /** One line for humans: `file:line:col: path: message`. */
  describe(): string {
    let where = this.file ?? '';
    if (this.line !== undefined) where += `${where ? ':' : 'line '}${this.line}${this.column !== undefined ? `:${this.column}` : ''}`;
    if (this.document !== undefined && this.document > 0) where += ` (document ${this.document + 1})`;
    const path = this.path ? `${this.path}: ` : '';
    return `${where ? `${where}: ` : ''}${path}${this.message}`;
  }
}

function stripUndefined(o: PolicyErrorDetails): PolicyErrorDetails {
  const out: PolicyErrorDetails = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}

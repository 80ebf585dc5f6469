// A request context (JSON) as the Cedar export's context: only the fields its policies read, each
// of its declared type, numbers as decimals, lists as sets, nulls left out. A context that breaks
// that contract is refused with the field that breaks it, rather than decided differently.
import type { JsonValue } from '../../policy/types';
import { describeType, isProblem, scalarOf, type CedarType, type FieldTypes } from './cedar-types';

export type CedarValue = string | boolean | CedarValue[] | { [key: string]: CedarValue } | { __extn: { fn: 'decimal'; arg: string } };

export class CedarContractError extends Error {
  constructor(readonly field: string, message: string) {
    super(`${field}: ${message}`);
    this.name = 'CedarContractError';
  }
}

interface Node {
  type?: CedarType;
  children: Map<string, Node>;
}

/** The fields as a tree, so one walk over the context visits each once. */
function treeOf(types: FieldTypes): Node {
  const root: Node = { children: new Map() };
  for (const [path, type] of types) {
    if (isProblem(type)) continue;
    let node = root;
    for (const key of path.split('.')) {
      let next = node.children.get(key);
      if (!next) node.children.set(key, (next = { children: new Map() }));
      node = next;
    }
    node.type = type;
  }
  return root;
}

export function toCedarContext(context: unknown, types: FieldTypes): Record<string, CedarValue> {
  return record(treeOf(types), context, '');
}

function record(node: Node, value: unknown, at: string): Record<string, CedarValue> {
  const out: Record<string, CedarValue> = {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return out;
  for (const [key, child] of node.children) {
    if (!Object.hasOwn(value, key)) continue;
    const converted = convert(child, (value as Record<string, unknown>)[key], at ? `${at}.${key}` : key);
    if (converted !== undefined) out[key] = converted;
  }
  return out;
}

function convert(node: Node, value: unknown, at: string): CedarValue | undefined {
  if (value === null || value === undefined) return undefined;
  // Read through its members: a record; a value that is not an object just has none of them.
  if (node.children.size > 0) return record(node, value, at);
  const type = node.type as CedarType;
  if (type === 'Any') return true;
  if (typeof type === 'object') {
    if (!Array.isArray(value)) throw new CedarContractError(at, `expected a list (a ${describeType(type)}), got ${kind(value)}`);
    return value.map((item, i) => scalar(type.set, item, `${at}.${i}`));
  }
  return scalar(type, value, at);
}

function scalar(type: CedarType, value: unknown, at: string): CedarValue {
  const got = scalarOf(value as JsonValue);
  if (got !== type) throw new CedarContractError(at, `expected a ${describeType(type)}, got ${kind(value)}`);
  if (type === 'Decimal') return { __extn: { fn: 'decimal', arg: decimalText(value as number, at) } };
  return value as string | boolean;
}

function kind(value: unknown): string {
  return Array.isArray(value) ? 'a list' : value === null ? 'null' : `a ${typeof value === 'object' ? 'map' : typeof value}`;
}

const DECIMAL = /^-?\d{1,15}(\.\d{1,4})?$/;
const DECIMAL_MAX = 922337203685477;

/** Cedar decimals hold four digits after the point, within ±922337203685477.5807. */
export function decimalText(n: number, at: string): string {
  const text = String(n);
  if (!DECIMAL.test(text) || Math.abs(n) > DECIMAL_MAX) throw new CedarContractError(at, `${text} is not a Cedar decimal (at most 4 digits after the point, magnitude below 922337203685477)`);
  return text.includes('.') ? text : `${text}.0`;
}

// YAML text -> plain values, one per non-empty document, with every node's position recorded.
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type Node } from 'yaml';
import { PolicyError } from './errors';
import { appendPath } from './paths';
import { checkDepth, hasKey, newList, newMapping, pushItem, setKey, type SourceContext } from './build-value';
import type { Position } from './source';

export interface ReadDocument {
  document?: number;
  value: unknown;
  at: Position;
}

/** Aliases may expand to at most this many nodes per document (guards against "billion laughs"). */
const MAX_ALIAS_NODES = 10_000;

export function readYaml(text: string, file: string | undefined): ReadDocument[] {
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: false });
  if (!Array.isArray(docs)) return []; // an empty stream
  const out: ReadDocument[] = [];
  docs.forEach((doc, document) => {
    const ctx = { file, document };
    // An unknown tag (`!include x.yaml`) would otherwise quietly read as a plain string.
    const error = doc.errors[0] ?? doc.warnings.find((warning) => warning.code === 'TAG_RESOLVE_FAILED');
    if (error) throw new PolicyError('parse_error', error.message, { ...ctx, ...position(lines, error.pos[0]) });
    const contents = doc.contents as Node | null;
    if (contents === null || (isScalar(contents) && contents.value === null)) return; // empty document
    const reader = new YamlDocumentReader(doc, lines, ctx);
    out.push({ document, value: reader.read(contents, '', 0), at: reader.at(contents) });
  });
  return out;
}

function position(lines: LineCounter, offset: number): Position {
  const { line, col } = lines.linePos(offset);
  return { line, column: col };
}

class YamlDocumentReader {
  private aliasNodes = 0;
  private readonly expanding = new Set<Node>();

  constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter,
    private readonly ctx: SourceContext,
  ) {}

  at(node: Node): Position {
    return position(this.lines, node.range?.[0] ?? 0);
  }

  read(node: Node, path: string, depth: number, viaAlias = false): unknown {
    const at = this.at(node);
    checkDepth(depth, this.ctx, at);
    if (viaAlias && ++this.aliasNodes > MAX_ALIAS_NODES) this.fail('aliases expand to too many nodes', at);
    if (isAlias(node)) return this.readAlias(node, path, depth);
    if (isScalar(node)) return this.readScalar(node.value, at);
    if (isSeq(node)) {
      const list = newList(this.ctx, path, at);
      for (const item of node.items as (Node | null)[]) {
        if (item === null) pushItem(list, null, at);
        else pushItem(list, this.read(item, appendPath(path, list.length), depth + 1, viaAlias), this.at(item));
      }
      return list;
    }
    if (isMap(node)) {
      const mapping = newMapping(this.ctx, path, at);
      for (const pair of node.items) {
        const keyNode = pair.key as Node | null;
        const keyAt = keyNode ? this.at(keyNode) : at;
        const key = this.readKey(keyNode, keyAt);
        if (hasKey(mapping, key)) this.fail(`duplicate key "${key}"`, keyAt, appendPath(path, key));
        const valueNode = pair.value as Node | null;
        const value = valueNode === null ? null : this.read(valueNode, appendPath(path, key), depth + 1, viaAlias);
        setKey(mapping, key, value, keyAt, valueNode ? this.at(valueNode) : keyAt);
      }
      return mapping;
    }
    return this.fail('unsupported YAML node', at);
  }

  private readAlias(alias: Node & { resolve(doc: Document): Node | undefined; source: string }, path: string, depth: number): unknown {
    const target = alias.resolve(this.doc);
    const at = this.at(alias);
    if (!target) return this.fail(`unknown alias "*${alias.source}"`, at);
    if (this.expanding.has(target)) return this.fail(`alias "*${alias.source}" refers to itself`, at);
    this.expanding.add(target);
    try {
      return this.read(target, path, depth, true);
    } finally {
      this.expanding.delete(target);
    }
  }

  private readScalar(value: unknown, at: Position): unknown {
    if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
    return this.fail(`unsupported YAML value of type ${typeof value}`, at);
  }

  private readKey(node: Node | null, at: Position): string {
    if (node && isScalar(node) && node.value !== null && typeof node.value !== 'object') return String(node.value);
    return this.fail('mapping keys must be plain strings', at);
  }

  private fail(message: string, at: Position, path?: string): never {
    throw new PolicyError('parse_error', message, { ...this.ctx, path, line: at.line, column: at.column });
  }
}

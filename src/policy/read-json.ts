// JSON text -> a plain value with every node's position recorded. Hand-written rather than
// JSON.parse so that duplicate keys are caught and errors carry line and column.
import { PolicyError } from './errors';
import { appendPath } from './paths';
import { checkDepth, hasKey, newList, newMapping, pushItem, setKey, type SourceContext } from './build-value';
import type { Position } from './source';

export interface ReadJson {
  value: unknown;
  at: Position;
}

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const LITERALS: ReadonlyArray<[string, unknown]> = [['true', true], ['false', false], ['null', null]];

export function readJson(text: string, file: string | undefined): ReadJson {
  return new JsonReader(text, { file }).readDocument();
}

class JsonReader {
  private at = 0;
  private readonly lineStarts: number[] = [0];

  constructor(
    private readonly text: string,
    private readonly ctx: SourceContext,
  ) {
    for (let i = 0; i < text.length; i++) if (text[i] === '\n') this.lineStarts.push(i + 1);
    if (text.charCodeAt(0) === 0xfeff) this.at = 1; // byte order mark
  }

  readDocument(): ReadJson {
    this.skipSpace();
    const at = this.position(this.at);
    const value = this.readValue('', 0);
    this.skipSpace();
    if (this.at < this.text.length) this.fail(`unexpected ${this.describeHere()} after the JSON value`);
    return { value, at };
  }

  private readValue(path: string, depth: number): unknown {
    const at = this.position(this.at);
    checkDepth(depth, this.ctx, at);
    const c = this.text[this.at];
    if (c === '{') return this.readObject(path, depth, at);
    if (c === '[') return this.readArray(path, depth, at);
    if (c === '"') return this.readString();
    for (const [word, value] of LITERALS) {
      if (this.text.startsWith(word, this.at)) {
        this.at += word.length;
        return value;
      }
    }
    NUMBER.lastIndex = this.at;
    const number = NUMBER.exec(this.text);
    if (number) {
      this.at += number[0].length;
      return Number(number[0]);
    }
    return this.fail(`unexpected ${this.describeHere()} (expected a value)`);
  }

  private readObject(path: string, depth: number, at: Position): Record<string, unknown> {
    const mapping = newMapping(this.ctx, path, at);
    this.at++;
    this.skipSpace();
    if (this.eat('}')) return mapping;
    for (;;) {
      if (this.text[this.at] !== '"') this.fail(`unexpected ${this.describeHere()} (expected a string key)`);
      const keyAt = this.position(this.at);
      const key = this.readString();
      if (hasKey(mapping, key)) this.fail(`duplicate key "${key}"`, keyAt, appendPath(path, key));
      this.skipSpace();
      if (!this.eat(':')) this.fail(`unexpected ${this.describeHere()} (expected ":")`);
      this.skipSpace();
      const valueAt = this.position(this.at);
      setKey(mapping, key, this.readValue(appendPath(path, key), depth + 1), keyAt, valueAt);
      this.skipSpace();
      if (this.eat('}')) return mapping;
      if (!this.eat(',')) this.fail(`unexpected ${this.describeHere()} (expected "," or "}")`);
      this.skipSpace();
    }
  }

  private readArray(path: string, depth: number, at: Position): unknown[] {
    const list = newList(this.ctx, path, at);
    this.at++;
    this.skipSpace();
    if (this.eat(']')) return list;
    for (;;) {
      const itemAt = this.position(this.at);
      pushItem(list, this.readValue(appendPath(path, list.length), depth + 1), itemAt);
      this.skipSpace();
      if (this.eat(']')) return list;
      if (!this.eat(',')) this.fail(`unexpected ${this.describeHere()} (expected "," or "]")`);
      this.skipSpace();
    }
  }

  private readString(): string {
    const start = this.at;
    let i = start + 1;
    for (;;) {
      const code = this.text.charCodeAt(i);
      if (Number.isNaN(code) || code === 0x0a) this.fail('unterminated string', this.position(start));
      if (code < 0x20) this.fail('control character in string (escape it)', this.position(i));
      if (code === 0x5c) i += 2; // backslash: skip the escaped character
      else if (code === 0x22) break;
      else i++;
    }
    this.at = i + 1;
    try {
      return JSON.parse(this.text.slice(start, this.at)) as string;
    } catch {
      return this.fail('invalid escape sequence in string', this.position(start));
    }
  }

  private skipSpace(): void {
    while (this.at < this.text.length && ' \t\n\r'.includes(this.text[this.at])) this.at++;
  }

  private eat(c: string): boolean {
    if (this.text[this.at] !== c) return false;
    this.at++;
    return true;
  }

  private describeHere(): string {
    return this.at >= this.text.length ? 'end of input' : `character ${JSON.stringify(this.text[this.at])}`;
  }

  private position(offset: number): Position {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.lineStarts[lo] + 1 };
  }

  private fail(message: string, at: Position = this.position(this.at), path?: string): never {
    throw new PolicyError('parse_error', `invalid JSON: ${message}`, { ...this.ctx, path, line: at.line, column: at.column });
  }
}

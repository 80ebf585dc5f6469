// Takes recognized phrases out of a normalized sentence one by one; what is left at the end is
// what the sentence says that nothing placed. A phrase is replaced by a space, so the words on
// either side never join into a new phrase.

/** A sentence the rules backend cannot turn into a rule; the message is one lowercase line. */
export class NotUnderstood extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotUnderstood';
  }
}

export class Reader {
  constructor(public rest: string) {}

  /** Every match of `pattern` (whole words), handed to `use` and removed. */
  take(pattern: string, use: (m: RegExpExecArray) => void): boolean {
    const re = new RegExp(`(?<![a-z0-9$.-])(?:${pattern})(?![a-z0-9-]|\\.[a-z0-9])`, 'g');
    let found = false;
    this.rest = this.rest.replace(re, (...args) => {
      const groups = args.slice(0, -2) as string[];
      const match = Object.assign([...groups], { index: args.at(-2) as number, input: this.rest }) as unknown as RegExpExecArray;
      use(match);
      found = true;
      return ' ';
    });
    return found;
  }

  /** The first match of `pattern`, removed; undefined when there is none. */
  takeOne(pattern: string): RegExpExecArray | undefined {
    let first: RegExpExecArray | undefined;
    this.take(pattern, (m) => { first ??= m; });
    return first;
  }

  words(): string[] {
    return this.rest.split(/\s+/).filter(Boolean);
  }
}

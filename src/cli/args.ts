// util.parseArgs with the CLI's own error wording: one line naming the flag and a --help hint.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './errors';

type Options = NonNullable<ParseArgsConfig['options']>;

export function parseCommandArgs<const O extends Options>(command: string, argv: string[], options: O) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError(parseErrorMessage(e), command);
  }
}

/** Node's messages are long and mention `--`; reword the common ones. */
function parseErrorMessage(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  const code = (e as { code?: string }).code;
  const flag = /'(-[^' ]+)/.exec(message)?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && flag) return `unknown option ${flag}`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && flag) {
    return message.includes('argument missing') ? `${flag} needs a value` : `${flag} does not take a value`;
  }
  return message;
}

/** Checks the number of positional arguments; `names` describes them for the message. */
export function expectPositionals(command: string, positionals: string[], min: number, max: number, names: string): void {
  if (positionals.length < min) throw new UsageError(`missing ${names}`, command);
  if (positionals.length > max) throw new UsageError(`unexpected argument ${positionals[max]}`, command);
}

export function requireOption<T>(command: string, value: T | undefined, flag: string): T {
  if (value === undefined || value === '') throw new UsageError(`${flag} is required`, command);
  return value;
}

/** Value of a flag that takes one of a few words. */
export function choice<T extends string>(command: string, value: string | undefined, flag: string, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${flag} must be ${allowed.join(' or ')}, got ${JSON.stringify(value)}`, command);
}

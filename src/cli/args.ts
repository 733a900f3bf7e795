import { parseArgs, type ParseArgsConfig } from 'node:util';
import { GoliveError } from '../errors.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** The parsed value of each flag: booleans for boolean flags, strings otherwise. */
export type FlagValues<O extends Options> = {
  [K in keyof O]?: O[K] extends { multiple: true }
    ? O[K] extends { type: 'boolean' }
      ? boolean[]
      : string[]
    : O[K] extends { type: 'boolean' }
      ? boolean
      : string;
} & {
  config?: string;
  debug?: boolean;
  help?: boolean;
};

/** Flags every command accepts. */
export const commonOptions = {
  config: { type: 'string', short: 'c' },
  debug: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies Options;

/**
 * Strict flag parsing for one command: unknown flags, missing values and stray
 * arguments become GL_ARG_INVALID naming the flag, with the command's usage as the hint.
 */
export function parseFlags<O extends Options>(
  command: string,
  args: string[],
  options: O,
  usage: string,
  maxPositionals = 0,
) {
  try {
    // A command's own short flag wins over a common one (`golive load -c` is connections, as in autocannon).
    const own = new Set(Object.values(options).map((o) => o.short));
    const common = Object.fromEntries(
      Object.entries(commonOptions as Options).map(([k, o]) => [k, o.short && own.has(o.short) ? { type: o.type } : o]),
    );
    const parsed = parseArgs({ args, options: { ...common, ...options }, allowPositionals: true, strict: true });
    if (parsed.positionals.length > maxPositionals) {
      throw new GoliveError(
        'GL_ARG_INVALID',
        `golive ${command}: unexpected argument "${parsed.positionals[maxPositionals]}"`,
        {
          hint: `usage: ${usage}`,
        },
      );
    }
    return { values: parsed.values as FlagValues<O>, positionals: parsed.positionals };
  } catch (e) {
    if (e instanceof GoliveError) throw e;
    const message = (e as Error).message.replace(/\. To specify a positional argument.*$/s, '');
    throw new GoliveError('GL_ARG_INVALID', `golive ${command}: ${message}`, { hint: `usage: ${usage}` });
  }
}

export function requireFlag(command: string, flag: string, value: string | undefined, usage: string): string {
  if (value === undefined || value.trim() === '') {
    throw new GoliveError('GL_ARG_INVALID', `golive ${command}: --${flag} is required`, { hint: `usage: ${usage}` });
  }
  return value;
}

/**
 * A required positional argument, named as the usage line names it:
 * `golive waive: the CRITERION-or-FINDING argument is required`.
 */
export function requireArg(command: string, name: string, value: string | undefined, usage: string): string {
  if (value === undefined || value.trim() === '') {
    throw new GoliveError('GL_ARG_INVALID', `golive ${command}: the ${name} argument is required`, {
      hint: `usage: ${usage}`,
    });
  }
  return value;
}

export function oneOf<T extends string>(command: string, flag: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new GoliveError(
      'GL_ARG_INVALID',
      `golive ${command}: --${flag} must be one of ${allowed.join(', ')}, not "${value}"`,
    );
  }
  return value as T;
}

import { parseArgs } from 'node:util';
import { GoliveError } from '../errors.js';
import { closest } from '../spec/suggest.js';

/**
 * One flag of a command: how it parses and how `--help` shows it. Each command
 * has ONE table of these; it drives both `parseArgs` and the help text, so the
 * help cannot drift from what is accepted.
 */
export interface FlagSpec {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
  /** One line for `--help`. */
  description: string;
  /**
   * The default as `--help` shows it. Display only: the command applies it,
   * because several defaults depend on other flags or on the spec.
   */
  default?: string;
  /** The value's name in `--help` (`--out DIR`). Default `VALUE`; unused for booleans. */
  value?: string;
}

export type FlagTable = Record<string, FlagSpec>;

/** `--out DIR` of the commands that write the reports (check, report, decide). */
export const reportsOutFlag = {
  type: 'string',
  value: 'DIR',
  description: 'folder for the reports',
  default: 'golive-report/ beside golive.yaml',
} as const satisfies FlagSpec;

/** The parsed value of each flag: booleans for boolean flags, strings otherwise. */
export type FlagValues<O extends FlagTable> = {
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
  quiet?: boolean;
};

/** Flags every command accepts. */
export const commonOptions = {
  config: {
    type: 'string',
    short: 'c',
    value: 'FILE',
    description: 'the spec to read',
    default: 'golive.yaml here or in the nearest parent, up to the git root',
  },
  quiet: { type: 'boolean', short: 'q', description: 'for CI: print only errors and the final verdict line' },
  debug: { type: 'boolean', description: 'print the stack trace of an internal error' },
  help: { type: 'boolean', short: 'h', description: 'show this help' },
} as const satisfies FlagTable;

/** The common flags as one command sees them: its own short flag wins (`golive load -c` is connections, as in autocannon). */
function commonFor(options: FlagTable): FlagTable {
  const own = new Set(Object.values(options).map((o) => o.short));
  return Object.fromEntries(
    Object.entries(commonOptions as FlagTable).map(([k, o]) => {
      if (!o.short || !own.has(o.short)) return [k, o];
      const { short: _short, ...rest } = o;
      return [k, rest];
    }),
  );
}

/** The table as node:util parseArgs takes it (help-only keys left out). */
function parseArgsOptions(all: FlagTable): NonNullable<Parameters<typeof parseArgs>[0]>['options'] {
  return Object.fromEntries(
    Object.entries(all).map(([k, o]) => [
      k,
      { type: o.type, ...(o.short ? { short: o.short } : {}), ...(o.multiple ? { multiple: true } : {}) },
    ]),
  );
}

/**
 * Strict flag parsing for one command: unknown flags (with a did-you-mean),
 * missing values and stray arguments become GL_ARG_INVALID naming the flag,
 * with the command's usage as the hint.
 */
export function parseFlags<O extends FlagTable>(
  command: string,
  args: string[],
  options: O,
  usage: string,
  maxPositionals = 0,
) {
  const all: FlagTable = { ...commonFor(options), ...options };
  try {
    const parsed = parseArgs({
      args,
      options: parseArgsOptions(all),
      allowPositionals: true,
      strict: true,
    });
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
    const unknown = /^Unknown option '--([^'=]+)'/.exec(message)?.[1];
    const near = unknown === undefined ? undefined : closest(unknown, Object.keys(all));
    throw new GoliveError('GL_ARG_INVALID', `golive ${command}: ${message}${near ? `; did you mean --${near}?` : ''}`, {
      hint: `usage: ${usage} (golive help ${command.split(' ')[0]} lists every flag)`,
    });
  }
}

/**
 * Whether `--quiet` / `-q` was given as a flag, as the command's own table reads
 * its arguments: a value that looks like it (`--reason -q`) is not the flag.
 * Lenient, because this runs before the command parses strictly and reports errors.
 */
export function quietFlag(args: string[], options: FlagTable): boolean {
  const all: FlagTable = { ...commonFor(options), ...options };
  try {
    const { values } = parseArgs({
      args,
      options: parseArgsOptions(all),
      allowPositionals: true,
      strict: false,
    });
    return values.quiet === true;
  } catch {
    return false;
  }
}

/**
 * `golive CMD --help`: summary, usage, then every flag with its value name,
 * a one-line description and its default, from the same table that parses them.
 */
export function formatHelp(command: string, summary: string, usage: string, options: FlagTable): string {
  const rows = (table: FlagTable): string[] => {
    const left = Object.entries(table).map(([name, o]) => {
      const value = o.type === 'string' ? ` ${o.value ?? 'VALUE'}` : '';
      return `${o.short ? `-${o.short}, ` : '    '}--${name}${value}${o.multiple ? ' …' : ''}`;
    });
    const width = Math.max(0, ...left.map((l) => l.length));
    return Object.values(table).map(
      (o, i) =>
        `  ${(left[i] as string).padEnd(width)}  ${o.description}${o.default !== undefined ? ` (default: ${o.default})` : ''}`,
    );
  };
  const own = Object.keys(options).length ? ['', 'flags:', ...rows(options)] : [];
  return [
    `golive ${command} — ${summary}`,
    '',
    `usage: ${usage}`,
    ...own,
    '',
    'common flags:',
    ...rows(commonFor(options)),
    '',
  ].join('\n');
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

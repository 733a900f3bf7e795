import { describe, expect, it } from 'vitest';
import { isGoliveError } from '../errors.js';
import { formatHelp, parseFlags, quietFlag, type FlagTable } from './args.js';

const table = {
  out: { type: 'string', value: 'DIR', description: 'folder for the reports', default: 'golive-report/' },
  format: { type: 'string', value: 'LIST', description: 'formats, comma-separated', default: 'all' },
  json: { type: 'boolean', description: 'print JSON' },
  header: { type: 'string', short: 'H', multiple: true, value: '"Name: value"', description: 'a header' },
} as const satisfies FlagTable;

function thrown(fn: () => unknown): { message: string; hint: string | undefined } {
  try {
    fn();
  } catch (e) {
    if (isGoliveError(e)) return { message: e.message, hint: e.hint };
    throw e;
  }
  throw new Error('did not throw');
}

describe('parseFlags', () => {
  it('parses from the table (help-only keys are not passed to parseArgs)', () => {
    const { values } = parseFlags('x', ['--out', 'o', '--json', '-H', 'a: 1', '-H', 'b: 2', '-q'], table, 'golive x');
    expect(values).toMatchObject({ out: 'o', json: true, header: ['a: 1', 'b: 2'], quiet: true });
    expect(values.format).toBeUndefined(); // a display default is not applied by the parser
  });
  it('suggests the closest flag for a mistyped one, own or common', () => {
    expect(thrown(() => parseFlags('x', ['--fromat', 'md'], table, 'golive x')).message).toBe(
      "golive x: Unknown option '--fromat'; did you mean --format?",
    );
    expect(thrown(() => parseFlags('x', ['--quite'], table, 'golive x')).message).toMatch(/did you mean --quiet\?/);
    expect(thrown(() => parseFlags('x', ['--conifg=a'], table, 'golive x')).message).toMatch(/did you mean --config\?/);
    const far = thrown(() => parseFlags('x', ['--zzzzzz'], table, 'golive x'));
    expect(far.message).not.toMatch(/did you mean/);
    expect(far.hint).toMatch(/^usage: golive x .*golive help x/);
  });
  it('a command short flag wins over the common one', () => {
    const own = {
      connections: { type: 'string', short: 'c', description: 'connections' },
    } as const satisfies FlagTable;
    expect(parseFlags('load', ['-c', '5'], own, 'u').values).toMatchObject({ connections: '5' });
    expect(parseFlags('load', ['--config', 'f'], own, 'u').values).toMatchObject({ config: 'f' });
  });
});

describe('quietFlag', () => {
  it('reads --quiet from the parsed flags, never from a flag value that looks like it', () => {
    expect(quietFlag(['--out', 'o', '-q'], table)).toBe(true);
    expect(quietFlag(['--quiet'], table)).toBe(true);
    expect(quietFlag(['--out', '-q'], table)).toBe(false);
    expect(quietFlag(['--out=-q', '--json'], table)).toBe(false);
    expect(quietFlag(['--', '-q'], table)).toBe(false);
    expect(quietFlag(['-H', '--quiet'], table)).toBe(false);
  });
});

describe('formatHelp', () => {
  it('lists every flag with its value name, description and default, then the common flags', () => {
    const text = formatHelp('x', 'does x', 'golive x [--out DIR]', table);
    const lines = text.split('\n');
    expect(lines[0]).toBe('golive x — does x');
    expect(lines).toContain('usage: golive x [--out DIR]');
    expect(text).toMatch(/^ {6}--out DIR\s+folder for the reports \(default: golive-report\/\)$/m);
    expect(text).toMatch(/^ {6}--json\s+print JSON$/m);
    expect(text).toMatch(/^ {2}-H, --header "Name: value" …\s+a header$/m);
    expect(text).toMatch(/^common flags:$/m);
    expect(text).toMatch(/^ {2}-c, --config FILE\s+the spec to read \(default: golive\.yaml/m);
    expect(text).toMatch(/^ {2}-q, --quiet\s+/m);
  });
  it('drops the common -c when the command uses it', () => {
    const text = formatHelp('load', 'l', 'u', { connections: { type: 'string', short: 'c', description: 'c' } });
    expect(text).toMatch(/^ {2}-c, --connections VALUE/m);
    expect(text).toMatch(/^ {6}--config FILE/m);
  });
});

import { describe, expect, it } from 'vitest';
import { jsForScript, jsonForScript } from './html-script.js';

const nasty = '</script><script>alert(1)</script><!-- & \u2028 \u2029 </SCRIPT >';

describe('script embedding', () => {
  it('JSON cannot end its element or open a comment, and parses back to the same value', () => {
    const value = { label: nasty, n: [1, null, 2.5] };
    const out = jsonForScript(value);
    expect(out).not.toMatch(/<|>|&|\u2028|\u2029/);
    expect(JSON.parse(out)).toEqual(value);
  });

  it('JavaScript keeps its meaning in strings, templates and regular expressions', () => {
    const source = [
      `var a = ${JSON.stringify(nasty)};`,
      'var b = `<script>${a.length}</script>`;',
      'var c = /<\\/script>|<script|<!--/i.test(a);',
      'var d = 1 < 2;',
      'return [a, b, c, d];',
    ].join('\n');
    const out = jsForScript(source);
    expect(out).not.toMatch(/<\/script|<script|<!--/i);
    expect(new Function(out)()).toEqual(new Function(source)());
    expect(out).toContain('1 < 2');
  });
});

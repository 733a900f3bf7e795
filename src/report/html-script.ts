/**
 * Safe embedding of script into the HTML report. Inside `<script>` the HTML
 * parser only looks for `</script` (and `<!--` … `<script`, which would make
 * it skip the real end tag), so those are the sequences to break.
 */

/**
 * A value as JSON for a `<script type="application/json">` element: `<`, `>`
 * and `&` become `\u003c` … so no model text can end the element or open a
 * comment; JSON.parse gives the same value back.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/**
 * JavaScript source for an inline `<script>`: a `<` that starts `</script`,
 * `<script` or `<!--` becomes `\x3C`, which means the same inside string,
 * template and regular-expression literals (the only places minified code has
 * them) and no longer reads as markup.
 */
export function jsForScript(source: string): string {
  return source.replace(/<(?=\/script|script|!--)/gi, '\\x3C');
}

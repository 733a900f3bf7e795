/**
 * The Markdown escaping rules every Markdown section shares: text from
 * evidence (target answers, command output, file contents) must never break
 * the table it sits in or inject HTML into the launch issue.
 */

/** One line of text; ANSI escapes are dropped and a `<` that could open an HTML tag is escaped (`< 200ms` stays readable). */
export function inline(s: string): string {
  return (
    s
      // eslint-disable-next-line no-control-regex -- strip terminal colour codes and other control characters
      .replace(/\u001b\[[0-9;]*[A-Za-z]|[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '')
      .replace(/\r?\n|\r/g, ' ')
      .replace(/<(?=[A-Za-z/!?])/g, '&lt;')
  );
}

/** Inline code that survives any content: the fence is longer than any run of backticks inside. */
export function code(s: string): string {
  const text = s.replace(/\r?\n/g, ' ');
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((m) => m.length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** One table row; pipes and newlines in cells are escaped so the table stays a table. */
export function row(cells: string[]): string {
  return `| ${cells.map((c) => inline(c).replace(/\|/g, '\\|')).join(' | ')} |`;
}

/** `1 file`, `2 files`, `0 files`: a count with its noun in the right number (regular plurals: noun + s). */
export function plural(n: number, noun: string, nouns = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : nouns}`;
}

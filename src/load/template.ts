/**
 * `${name}` placeholders in load requests, filled per iteration from the
 * built-in variables (`vu`, `iter`, `uuid`), the data row and extracted values.
 * A template without placeholders compiles to a constant, so static requests
 * keep their prebuilt bytes.
 */
export type Vars = Record<string, string>;
export type Template =
  { static: true; value: string } | { static: false; render: (vars: Vars) => string; names: string[] };

export class MissingVariable extends Error {}

const PLACEHOLDER = /\$\{([A-Za-z_][\w.-]*)\}/g;

export function compileTemplate(text: string): Template {
  const names = [...text.matchAll(PLACEHOLDER)].map((m) => m[1] as string);
  if (names.length === 0) return { static: true, value: text };
  const parts = text.split(PLACEHOLDER); // odd indexes are names
  return {
    static: false,
    names,
    render(vars) {
      let out = '';
      for (let i = 0; i < parts.length; i++) {
        if (i % 2 === 0) out += parts[i];
        else {
          const v = vars[parts[i] as string];
          if (v === undefined) throw new MissingVariable(`variable ${parts[i]} is not set`);
          out += v;
        }
      }
      return out;
    },
  };
}

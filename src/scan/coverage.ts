import { invalidImport, isRecord, parseJsonImport, typeOf } from './import-file.js';

/** Covered of total for one coverage measure. */
export interface Ratio {
  covered: number;
  total: number;
}

export interface CoverageSummary {
  format: 'lcov' | 'istanbul-summary';
  lines: Ratio;
  branches?: Ratio;
  functions?: Ratio;
  files: number;
}

const HINT =
  'point scan.coverage.file at lcov.info or coverage-summary.json (vitest/jest/nyc with the lcov and json-summary reporters)';

/** Parses lcov.info or istanbul's coverage-summary.json, told apart by content; throws GL_SCAN_IMPORT_INVALID. */
export function parseCoverage(text: string, file: string): CoverageSummary {
  const start = text.trimStart();
  if (start.startsWith('{')) return parseIstanbulSummary(text, file);
  if (/^(?:TN|SF):/m.test(start.slice(0, 4096))) return parseLcov(text, file);
  throw invalidImport(
    file,
    'coverage',
    start ? 'neither lcov (TN:/SF: records) nor a JSON coverage summary' : 'the file is empty',
    HINT,
  );
}

function parseIstanbulSummary(text: string, file: string): CoverageSummary {
  const doc = parseJsonImport(text, file, 'coverage', HINT);
  if (!isRecord(doc)) throw invalidImport(file, 'coverage', `expected an object, found ${typeOf(doc)}`, HINT);
  const total = doc.total;
  if (!isRecord(total)) {
    throw invalidImport(
      file,
      'coverage',
      'no "total" object: expected istanbul json-summary output (coverage-summary.json), not coverage-final.json',
      HINT,
    );
  }
  const measure = (name: string, required: boolean): Ratio | undefined => {
    const m = total[name];
    if (m === undefined && !required) return undefined;
    if (!isRecord(m) || !isCount(m.covered) || !isCount(m.total) || m.covered > m.total) {
      throw invalidImport(
        file,
        'coverage',
        `total.${name} must be { total, covered } with 0 <= covered <= total`,
        HINT,
      );
    }
    return { covered: m.covered, total: m.total };
  };
  const lines = measure('lines', true) as Ratio;
  const branches = measure('branches', false);
  const functions = measure('functions', false);
  return {
    format: 'istanbul-summary',
    lines,
    ...(branches ? { branches } : {}),
    ...(functions ? { functions } : {}),
    files: Object.keys(doc).filter((k) => k !== 'total').length,
  };
}

/**
 * lcov tracefile: records of `KEY:value` lines ending with `end_of_record`.
 * LF/LH (lines found/hit), BRF/BRH, FNF/FNH are summed; a record without
 * LF/LH is counted from its DA lines.
 */
function parseLcov(text: string, file: string): CoverageSummary {
  const lines = { covered: 0, total: 0 };
  const branches = { covered: 0, total: 0 };
  const functions = { covered: 0, total: 0 };
  let files = 0;
  let rec: Record<string, number> | undefined;
  const da = { found: 0, hit: 0 };
  const src = text.split('\n');
  const close = (): void => {
    if (!rec) return;
    lines.total += rec.LF ?? da.found;
    lines.covered += rec.LH ?? da.hit;
    branches.total += rec.BRF ?? 0;
    branches.covered += rec.BRH ?? 0;
    functions.total += rec.FNF ?? 0;
    functions.covered += rec.FNH ?? 0;
    rec = undefined;
  };
  for (let i = 0; i < src.length; i++) {
    const raw = (src[i] as string).trim();
    if (!raw) continue;
    if (raw === 'end_of_record') {
      close();
      continue;
    }
    const m = /^([A-Z]+):(.*)$/.exec(raw);
    if (!m) {
      throw invalidImport(
        file,
        'coverage',
        `line ${i + 1}: expected an lcov KEY:value line, found "${raw.slice(0, 40)}"`,
        HINT,
        {
          line: i + 1,
          column: 1,
        },
      );
    }
    const [, key, value] = m as unknown as [string, string, string];
    if (key === 'SF') {
      close();
      rec = {};
      da.found = 0;
      da.hit = 0;
      files++;
      continue;
    }
    if (key === 'TN') continue;
    if (!rec) {
      throw invalidImport(file, 'coverage', `line ${i + 1}: ${key} before any SF: record`, HINT, {
        line: i + 1,
        column: 1,
      });
    }
    if (key === 'DA') {
      const hits = Number(value.split(',')[1]);
      da.found++;
      if (hits > 0) da.hit++;
    } else if (['LF', 'LH', 'BRF', 'BRH', 'FNF', 'FNH'].includes(key)) {
      const n = Number(value);
      if (!isCount(n)) {
        throw invalidImport(file, 'coverage', `line ${i + 1}: ${key} must be a whole number, found "${value}"`, HINT, {
          line: i + 1,
          column: key.length + 2,
        });
      }
      rec[key] = n;
    }
  }
  close();
  if (files === 0) throw invalidImport(file, 'coverage', 'no SF: records (no source files covered)', HINT);
  return {
    format: 'lcov',
    lines,
    ...(branches.total ? { branches } : {}),
    ...(functions.total ? { functions } : {}),
    files,
  };
}

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0;
}

/** covered / total as a ratio; an empty measure (nothing to cover) counts as fully covered. */
export function ratio(r: Ratio): number {
  return r.total === 0 ? 1 : r.covered / r.total;
}

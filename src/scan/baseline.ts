import { renameSync, writeFileSync } from 'node:fs';
import { GoliveError } from '../errors.js';
import type { Finding } from '../model.js';
import { invalidImport, isRecord, parseJsonImport, readImport } from './import-file.js';

/**
 * A baseline: findings accepted as they were when it was written (like
 * gitleaks' --baseline-path). Only fingerprints decide; rule and location are
 * kept so a reviewer can read the file. Holds no secret: fingerprints are
 * hashes, locations carry no line numbers.
 */
export interface Baseline {
  golive: 'scan-baseline';
  version: 1;
  findings: { fingerprint: string; rule: string; location: string }[];
}

const HINT = 'write a fresh one with golive scan --write-baseline FILE, or fix the JSON';

export function readBaseline(path: string): Set<string> {
  const text = readImport(path, 'baseline', 'check scan.baseline / --baseline, or write one with --write-baseline');
  const doc = parseJsonImport(text, path, 'baseline', HINT);
  if (!isRecord(doc) || doc.golive !== 'scan-baseline' || doc.version !== 1 || !Array.isArray(doc.findings)) {
    throw invalidImport(
      path,
      'baseline',
      'expected { "golive": "scan-baseline", "version": 1, "findings": [...] }',
      HINT,
    );
  }
  const out = new Set<string>();
  doc.findings.forEach((f: unknown, i) => {
    if (!isRecord(f) || typeof f.fingerprint !== 'string' || !/^[0-9a-f]{16}$/.test(f.fingerprint)) {
      throw invalidImport(path, 'baseline', `findings[${i}].fingerprint must be 16 hex characters`, HINT);
    }
    out.add(f.fingerprint);
  });
  return out;
}

export function baselineOf(findings: readonly Finding[]): Baseline {
  const byPrint = new Map<string, Baseline['findings'][number]>();
  for (const f of findings) {
    byPrint.set(f.fingerprint, { fingerprint: f.fingerprint, rule: f.rule, location: f.location.replace(/:\d+$/, '') });
  }
  return {
    golive: 'scan-baseline',
    version: 1,
    findings: [...byPrint.values()].sort((a, b) => a.fingerprint.localeCompare(b.fingerprint)),
  };
}

/** Writes the baseline atomically (temp file, then rename), so a failed write leaves the old one intact. */
export function writeBaseline(path: string, findings: readonly Finding[]): void {
  try {
    writeFileSync(`${path}.tmp`, `${JSON.stringify(baselineOf(findings), null, 2)}\n`);
    renameSync(`${path}.tmp`, path);
  } catch (e) {
    throw new GoliveError('GL_FILE_NOT_WRITABLE', `cannot write baseline ${path}: ${(e as Error).message}`, {
      hint: 'choose a writable path for --write-baseline',
    });
  }
}

import { describe, expect, it } from 'vitest';
import { criterionHash, storedCriterionHashes, writtenCriterionHashes } from './criterion-hash.js';

describe('writtenCriterionHashes: one form of the criterion, as written', () => {
  const written = { id: 'AC-2', type: 'AC' as const, title: 'Pen test by ${VENDOR} passed', attest: 'DevOps' };
  const loaded = { ...written, title: 'Pen test by acme-sec passed' };

  it('hashes the criterion as written (before ${VAR}), not as loaded', () => {
    const h = writtenCriterionHashes({ criteria: [written] }, [loaded]);
    expect(h).toEqual({ 'AC-2': criterionHash(written) });
    expect(h['AC-2']).not.toBe(criterionHash(loaded));
  });

  it('falls back to the loaded criterion when the written spec does not hold it', () => {
    expect(writtenCriterionHashes({}, [loaded])).toEqual({ 'AC-2': criterionHash(loaded) });
    expect(writtenCriterionHashes(null, [loaded])).toEqual({ 'AC-2': criterionHash(loaded) });
  });

  it('reads the hashes a stored run kept, absent for older runs', () => {
    expect(storedCriterionHashes({ criterionHashes: { 'AC-2': 'sha256:x' } })).toEqual({ 'AC-2': 'sha256:x' });
    expect(storedCriterionHashes({ criteria: [] })).toBeUndefined();
    expect(storedCriterionHashes(null)).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { SecurityProbes } from '../spec/probes.js';
import { credentialValues } from './security.js';

describe('credentialValues', () => {
  it('takes the values of sensitive headers and every role credential, not every header value', () => {
    const cfg = SecurityProbes.parse({ credentials: { viewer: { 'X-Role': 'viewer-key-55' } } });
    const headers = {
      'X-Forwarded-Proto': 'https',
      Accept: 'application/json',
      'X-Tenant': 'acme-shop',
      Authorization: 'Bearer tok-881234',
      'X-Auth-Token': 'xat-774411',
    };
    expect(credentialValues(headers, cfg).sort()).toEqual(
      ['Bearer tok-881234', 'tok-881234', 'xat-774411', 'viewer-key-55'].sort(),
    );
  });
});

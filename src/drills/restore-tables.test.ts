import { describe, expect, it } from 'vitest';
import { checksumSql, compareSums, quoteTable } from './restore-tables.js';

describe('restore table comparison', () => {
  it('quotes each part of a table name', () => {
    expect(quoteTable('orders')).toBe('"orders"');
    expect(quoteTable('shop.orders')).toBe('"shop"."orders"');
    expect(quoteTable('a"b')).toBe('"a""b"');
    expect(checksumSql('shop.orders')).toContain('from "shop"."orders" t');
  });
  it('matches equal counts and checksums, and says what differs otherwise', () => {
    const s = { table: 'orders', rows: 3, checksum: 'abc' };
    expect(compareSums(s, { ...s }).match).toBe(true);
    expect(compareSums(s, { ...s, rows: 2 }).detail).toBe('orders: 2 rows restored, 3 in the source');
    expect(compareSums(s, { ...s, checksum: 'abd' })).toMatchObject({
      match: false,
      detail: expect.stringMatching(/3 rows on both sides but the data differs/),
    });
    expect(compareSums(s, { table: 'orders', error: 'relation "orders" does not exist' }).detail).toMatch(
      /cannot read the restore/,
    );
  });
});

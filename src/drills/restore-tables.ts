import pg from 'pg';

/** Row count and checksum of one table in one database. */
export interface TableSum {
  table: string;
  rows?: number;
  /** md5 over every row's text form, rows sorted by that text: equal data gives an equal checksum. */
  checksum?: string;
  /** Why the table could not be read (missing, no permission …). */
  error?: string;
}

export interface TableComparison {
  table: string;
  source: TableSum;
  restored: TableSum;
  match: boolean;
  /** One line: "orders: 3 rows, checksums equal" or what differs. */
  detail: string;
}

/** `schema.table` → `"schema"."table"`, each part quoted so names are never read as SQL. */
export function quoteTable(name: string): string {
  return name
    .split('.')
    .map((p) => `"${p.replaceAll('"', '""')}"`)
    .join('.');
}

/**
 * The checksum query. Rows are ordered by their own text form rather than a
 * primary key, so tables without one compare too and the physical order a
 * restore leaves behind does not matter. Built in the database; fits tables
 * up to a few million rows (string_agg holds one table's text in memory).
 */
export function checksumSql(table: string): string {
  return `select count(*)::bigint as rows, md5(coalesce(string_agg(t::text, E'\\n' order by t::text), '')) as checksum from ${quoteTable(table)} t`;
}

/** Compares the sums of one table in the source and the restored database (pure). */
export function compareSums(source: TableSum, restored: TableSum): TableComparison {
  const table = source.table;
  const base = { table, source, restored };
  if (source.error) return { ...base, match: false, detail: `${table}: cannot read the source: ${source.error}` };
  if (restored.error) return { ...base, match: false, detail: `${table}: cannot read the restore: ${restored.error}` };
  if (source.rows !== restored.rows) {
    return { ...base, match: false, detail: `${table}: ${restored.rows} rows restored, ${source.rows} in the source` };
  }
  if (source.checksum !== restored.checksum) {
    return {
      ...base,
      match: false,
      detail: `${table}: ${source.rows} rows on both sides but the data differs (checksum ${short(restored.checksum)} ≠ ${short(source.checksum)})`,
    };
  }
  return { ...base, match: true, detail: `${table}: ${source.rows} rows, checksums equal (${short(source.checksum)})` };
}

const short = (s: string | undefined): string => (s ?? '').slice(0, 12);

/**
 * Connects to one database and sums the tables. Throws when the database
 * cannot be reached (the drill could not complete); a table that cannot be
 * read is a per-table error instead.
 */
export async function sumTables(connectionString: string, tables: string[], timeoutMs: number): Promise<TableSum[]> {
  const client = new pg.Client({
    connectionString,
    connectionTimeoutMillis: Math.min(timeoutMs, 30_000),
    query_timeout: timeoutMs,
    statement_timeout: timeoutMs,
  });
  // A dropped connection emits 'error' on the client; without a listener it would crash golive.
  client.on('error', () => undefined);
  await client.connect();
  try {
    const out: TableSum[] = [];
    for (const table of tables) {
      try {
        const res = await client.query<{ rows: string; checksum: string }>(checksumSql(table));
        const row = res.rows[0];
        out.push({ table, rows: Number(row?.rows ?? 0), checksum: row?.checksum ?? '' });
      } catch (e) {
        out.push({ table, error: (e as Error).message });
      }
    }
    return out;
  } finally {
    await client.end().catch(() => undefined);
  }
}

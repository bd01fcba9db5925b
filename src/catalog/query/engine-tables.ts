import type { ColumnRef } from 'src/catalog/contract-terms';
import type { ExampleTable } from 'src/catalog/entities';

/** One statement of a query worker's setup: DDL, or an INSERT run once per row. */
export interface SetupStep {
  sql: string;
  rows?: unknown[][];
}

/** SQL types for ODCS logical types; anything else is text. */
const SQL_TYPES: Readonly<Record<string, string>> = {
  string: 'text',
  integer: 'bigint',
  number: 'numeric',
  boolean: 'boolean',
  date: 'date',
  timestamp: 'timestamptz',
  time: 'time',
  object: 'jsonb',
  array: 'jsonb',
};

export const sqlType = (logicalType: string): string =>
  SQL_TYPES[logicalType?.toLowerCase?.() ?? ''] ?? 'text';

export const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/**
 * CREATE TABLE and INSERT steps for a port's example tables, leaving out `hidden` columns (restricted
 * columns the caller's roles do not cover) so not even a whole-row reference can reach them.
 */
export function buildSetup(
  tables: Pick<ExampleTable, 'tableName' | 'columns' | 'rows'>[],
  hidden: ColumnRef[] = [],
): SetupStep[] {
  return tables.flatMap((t) => {
    const keep = t.columns
      .map((c, index) => ({ ...c, index }))
      .filter((c) => !hidden.some((h) => h.table === t.tableName && h.column === c.name));
    const create = `CREATE TABLE ${quoteIdent(t.tableName)} (${keep
      .map((c) => `${quoteIdent(c.name)} ${sqlType(c.type)}`)
      .join(', ')})`;
    if (keep.length === 0 || !Array.isArray(t.rows) || t.rows.length === 0)
      return [{ sql: create }];
    const insert = `INSERT INTO ${quoteIdent(t.tableName)} VALUES (${keep.map((_, i) => `$${i + 1}`).join(', ')})`;
    const rows = t.rows.map((row) =>
      keep.map((c) => toParam(Array.isArray(row) ? row[c.index] : undefined, sqlType(c.type))),
    );
    return [{ sql: create }, { sql: insert, rows }];
  });
}

function toParam(value: unknown, type: string): unknown {
  if (value === undefined || value === null) return null;
  if (type === 'jsonb') return JSON.stringify(value);
  if (typeof value === 'object') return JSON.stringify(value);
  return value;
}

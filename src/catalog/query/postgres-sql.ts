import type { ColumnRef } from 'src/catalog/contract-terms';
import type { QueryColumnDto } from 'src/catalog/dto/query.dto';
import { contractTables } from 'src/catalog/documents/odcs-tables';
import type { OdcsDocument } from 'src/catalog/entities';
import { quoteIdent } from 'src/catalog/query/engine-tables';
import type { QueryTable } from 'src/catalog/query/query-platform';

/** A contract table as the real database holds it: queries name it `name`; its columns by name. */
export interface ContractTable extends QueryTable {
  /** Every name of the table in the contract (`name`, `physicalName`), to match restricted columns. */
  aliases: string[];
  /** Per column, every name it has in the contract (the first is the one queries use). */
  columnAliases: string[][];
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const names = (o: Record<string, unknown>): string[] =>
  [o.physicalName, o.name].filter((n): n is string => typeof n === 'string' && n.trim() !== '');

/**
 * The tables of the port's contract (ODCS v3.1.0 `schema`: each object's `physicalName`, else its
 * `name`) with their columns (each property's `physicalName`, else `name`; type: `physicalType`,
 * else `logicalType`). Only these are readable on a real database.
 */
export function contractTablesWithColumns(contract: OdcsDocument | null): ContractTable[] {
  if (!contract) return [];
  const objects = Array.isArray(contract.schema) ? contract.schema.filter(isRecord) : [];
  return contractTables(contract).map((name) => {
    const object = objects.find((o) => names(o)[0] === name) ?? {};
    const properties = Array.isArray(object.properties)
      ? object.properties.filter(isRecord).filter((p) => names(p).length > 0)
      : [];
    return {
      name,
      aliases: names(object),
      columns: properties.map((p) => ({ name: names(p)[0], type: columnType(p) })),
      columnAliases: properties.map(names),
    };
  });
}

function columnType(p: Record<string, unknown>): string {
  const t = p.physicalType ?? p.logicalType;
  return typeof t === 'string' && t.trim() !== '' ? t : 'unknown';
}

/**
 * Prefixes `sql` with one CTE per port table that selects only its visible columns from the table in
 * `schema`, so the statement reads the port's tables through them and never a hidden column (not
 * even through `*` or a whole-row reference). NOT MATERIALIZED keeps the plan as if the table were
 * named directly. A statement that starts with WITH gets the CTEs inside its own WITH clause.
 */
export function shadowTables(
  sql: string,
  schema: string,
  tables: readonly ContractTable[],
  hidden: readonly ColumnRef[],
): string {
  if (tables.length === 0) return sql;
  const ctes = tables
    .map((t) => {
      const visible = t.columns.filter(
        (_, i) =>
          !hidden.some(
            (h) => t.aliases.includes(h.table) && (t.columnAliases[i] ?? []).includes(h.column),
          ),
      );
      const list = t.columns.length === 0 ? '*' : visible.map((c) => quoteIdent(c.name)).join(', ');
      return `${quoteIdent(t.name)} AS NOT MATERIALIZED (SELECT ${list} FROM ${quoteIdent(schema)}.${quoteIdent(t.name)})`;
    })
    .join(', ');
  const own = /^\s*with(\s+recursive)?\s+/i.exec(sql);
  if (own) {
    return `WITH${own[1] ? ' RECURSIVE' : ''} ${ctes}, ${sql.slice(own[0].length)}`;
  }
  return `WITH ${ctes} ${sql}`;
}

/** Whether a statement is a query a cursor can read (anything else is sent as it is and refused). */
export const isQueryStatement = (sql: string): boolean =>
  /^\s*(select|with|values|table)\b/i.test(sql);

/** A field's value as JSON: exact integers and decimals as numbers, dates and times as printed. */
export function plainValue(v: unknown): unknown {
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (v instanceof Date) return v.toISOString();
  if (Buffer.isBuffer(v)) return `\\x${v.toString('hex')}`;
  if (Array.isArray(v)) return v.map(plainValue);
  return v;
}

/** Text → number when it is exact (integers up to 2^53, decimals up to 15 digits), else the text. */
export function exactNumber(text: string): number | string {
  const n = Number(text);
  return Number.isSafeInteger(n) || (Number.isFinite(n) && text.replace(/[^0-9]/g, '').length <= 15)
    ? n
    : text;
}

/** Type OIDs whose text is kept as PostgreSQL prints it (dates, times, intervals). */
export const RAW_TEXT_TYPES = [1082, 1083, 1114, 1184, 1266, 1186];
/** bigint and numeric: numbers when exact (as the sandbox answers). */
export const NUMBER_TYPES = [20, 1700];

export type ColumnTypeNames = (oids: number[]) => Promise<Map<number, string>>;

export async function namedColumns(
  fields: ReadonlyArray<{ name: string; dataTypeID: number }>,
  lookup: ColumnTypeNames,
): Promise<QueryColumnDto[]> {
  const types = await lookup([...new Set(fields.map((f) => f.dataTypeID))]);
  return fields.map((f) => ({ name: f.name, type: types.get(f.dataTypeID) ?? 'unknown' }));
}

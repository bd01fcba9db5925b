import type { OdcsDocument } from 'src/catalog/entities';

/** Readers for the parts of an ODCS v3 document the catalog enforces. Tolerant of missing parts. */

export interface ContractRole {
  role: string;
  access?: string;
  /** Restricted columns this role covers (`restrictedColumns` custom property): `column` or `table.column`. */
  restrictedColumns: string[];
}

export interface ColumnRef {
  table: string;
  column: string;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const records = (v: unknown): Record<string, unknown>[] =>
  Array.isArray(v) ? v.filter(isRecord) : [];

const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];

/** The value of a `customProperties` / `slaProperties` entry `{ property, value }`. */
export function propertyValue(list: unknown, property: string): unknown {
  const entry = records(list).find((p) => p.property === property);
  return entry?.value;
}

export function contractRoles(doc: OdcsDocument): ContractRole[] {
  return records(doc.roles)
    .filter((r) => typeof r.role === 'string')
    .map((r) => ({
      role: r.role as string,
      access: typeof r.access === 'string' ? r.access : undefined,
      restrictedColumns: strings(propertyValue(r.customProperties, 'restrictedColumns')),
    }));
}

/** Columns (top-level properties of each schema object) classified `restricted`. */
export function restrictedColumns(doc: OdcsDocument): ColumnRef[] {
  return records(doc.schema).flatMap((table) =>
    typeof table.name !== 'string'
      ? []
      : records(table.properties)
          .filter(
            (p) =>
              typeof p.name === 'string' &&
              typeof p.classification === 'string' &&
              p.classification.toLowerCase() === 'restricted',
          )
          .map((p) => ({ table: table.name as string, column: p.name as string })),
  );
}

/** Whether one of the granted roles covers a restricted column. */
export function isCovered(
  doc: OdcsDocument,
  grantedRoles: readonly string[],
  col: ColumnRef,
): boolean {
  return contractRoles(doc)
    .filter((r) => grantedRoles.includes(r.role))
    .some((r) =>
      r.restrictedColumns.some((c) => c === col.column || c === `${col.table}.${col.column}`),
    );
}

export function prohibitedPurposes(doc: OdcsDocument): string[] {
  const value = propertyValue(doc.customProperties, 'prohibitedPurposes');
  return typeof value === 'string' ? [value] : strings(value);
}

/** The SLA `maxQueriesPerDay`, if set to a positive number. */
export function maxQueriesPerDay(doc: OdcsDocument): number | null {
  const raw = propertyValue(doc.slaProperties, 'maxQueriesPerDay');
  const n = typeof raw === 'string' ? Number(raw) : raw;
  return typeof n === 'number' && Number.isFinite(n) && n >= 0 ? Math.floor(n) : null;
}

/**
 * Soft findings in a valid ODCS v3.x contract: what consumers will miss, never a refusal. The
 * texts are those `datacontract_save` has always answered with.
 */

const SEMVER = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export function odcsWarnings(doc: Record<string, unknown>): string[] {
  const warnings: string[] = [];
  if (typeof doc.version === 'string' && !SEMVER.test(doc.version)) {
    warnings.push(`version "${doc.version}" is not semantic versioning (MAJOR.MINOR.PATCH)`);
  }
  const columns = schemaWarnings(doc.schema, warnings);
  roleWarnings(doc.roles, columns, warnings);
  if (doc.description === undefined) {
    warnings.push('description is missing (purpose, usage, limitations)');
  }
  if (doc.apiVersion === 'v3.1.0') warnings.push(...deprecations(doc));
  return warnings;
}

/** What ODCS v3.1.0 deprecates but still accepts. */
function deprecations(doc: Record<string, unknown>): string[] {
  const found: string[] = [];
  if (doc.dataProduct !== undefined) {
    found.push('dataProduct is deprecated in ODCS v3.1.0 (the data product names its contracts)');
  }
  if (doc.slaDefaultElement !== undefined) {
    found.push('slaDefaultElement is deprecated in ODCS v3.1.0 (set element on each SLA property)');
  }
  if (Array.isArray(doc.team)) {
    found.push(
      'team as a list of members is deprecated in ODCS v3.1.0 (use team.name and team.members)',
    );
  }
  return found;
}

/** Returns the known column names (`column` and `table.column`). */
function schemaWarnings(schema: unknown, warnings: string[]): Set<string> {
  const columns = new Set<string>();
  if (schema === undefined) {
    warnings.push('schema is missing: consumers cannot see the tables and columns');
    return columns;
  }
  if (!Array.isArray(schema)) return columns;
  schema.forEach((table, i) => {
    if (!isRecord(table) || typeof table.name !== 'string') return;
    for (const column of propertyWarnings(table.properties, `schema[${i}]`, warnings)) {
      columns.add(column);
      columns.add(`${table.name}.${column}`);
    }
  });
  return columns;
}

function propertyWarnings(properties: unknown, path: string, warnings: string[]): string[] {
  if (!Array.isArray(properties)) return [];
  const names: string[] = [];
  properties.forEach((prop, j) => {
    if (!isRecord(prop) || typeof prop.name !== 'string') return;
    names.push(prop.name);
    typeWarnings(prop, `${path}.properties[${j}] (${prop.name})`, warnings);
  });
  return names;
}

function typeWarnings(prop: Record<string, unknown>, path: string, warnings: string[]): void {
  if (prop.logicalType === undefined) warnings.push(`${path} has no logicalType`);
  if (prop.logicalType === 'object') propertyWarnings(prop.properties, path, warnings);
  if (prop.logicalType === 'array' && isRecord(prop.items)) {
    typeWarnings(prop.items, `${path}.items`, warnings);
  }
}

/** A role's custom property `restrictedColumns` should name columns of the schema. */
function roleWarnings(roles: unknown, columns: Set<string>, warnings: string[]): void {
  if (!Array.isArray(roles)) return;
  roles.forEach((r, i) => {
    if (!isRecord(r) || typeof r.role !== 'string') return;
    const custom = Array.isArray(r.customProperties) ? (r.customProperties as unknown[]) : [];
    const restricted = custom.find((c) => isRecord(c) && c.property === 'restrictedColumns');
    const listed = isRecord(restricted) && Array.isArray(restricted.value) ? restricted.value : [];
    for (const col of listed as unknown[]) {
      if (typeof col !== 'string' || !columns.has(col)) {
        warnings.push(
          `roles[${i}] (${r.role}) lists restricted column ${String(col)}, which is not in the schema`,
        );
      }
    }
  });
}

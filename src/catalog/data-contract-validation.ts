import { parse, YAMLParseError } from 'yaml';
import { invalidArgument } from 'src/common/errors/domain-error';
import { DATA_CONTRACT_STATUSES, DataContractStatus, OdcsDocument } from 'src/catalog/entities';

/** ODCS v3 logical types. */
export const LOGICAL_TYPES = [
  'string',
  'date',
  'timestamp',
  'time',
  'number',
  'integer',
  'object',
  'array',
  'boolean',
] as const;

const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,199}$/;
const SEMVER = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;
const MAX_DOCUMENT_CHARS = 512 * 1024;
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export interface ContractHeader {
  id: string;
  version: string;
  status: DataContractStatus;
  /** `team.name`: the external id of the owner team. */
  teamName: string;
}

export type ContractValidation =
  { ok: true; header: ContractHeader; warnings: string[] } | { ok: false; errors: string[] };

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Exactly one of `dataContract` (object) and `yaml` (text), as a plain JSON document. */
export function parseContractInput(input: {
  dataContract?: unknown;
  yaml?: unknown;
}): OdcsDocument {
  const hasObject = input.dataContract !== undefined && input.dataContract !== null;
  const hasYaml = input.yaml !== undefined && input.yaml !== null;
  if (hasObject === hasYaml) {
    throw invalidArgument(
      'Pass exactly one of dataContract (a JSON object) and yaml (ODCS YAML text)',
    );
  }
  let doc: unknown = input.dataContract;
  if (hasYaml) {
    if (typeof input.yaml !== 'string') throw invalidArgument('yaml must be text');
    if (input.yaml.length > MAX_DOCUMENT_CHARS)
      throw invalidArgument('The YAML document is too large');
    try {
      doc = parse(input.yaml, { maxAliasCount: 50, uniqueKeys: true, prettyErrors: true });
    } catch (err) {
      const detail = err instanceof YAMLParseError ? err.message : 'unreadable YAML';
      throw invalidArgument(`The YAML could not be parsed: ${detail}`);
    }
  }
  if (!isRecord(doc))
    throw invalidArgument('The data contract must be an object (an ODCS document)');
  const json = JSON.stringify(doc);
  if (json.length > MAX_DOCUMENT_CHARS) throw invalidArgument('The data contract is too large');
  const plain = JSON.parse(json) as OdcsDocument;
  const bad = findForbiddenKey(plain);
  if (bad) throw invalidArgument(`The data contract must not contain the key "${bad}"`);
  return plain;
}

function findForbiddenKey(value: unknown): string | null {
  if (Array.isArray(value)) {
    for (const v of value) {
      const bad = findForbiddenKey(v);
      if (bad) return bad;
    }
  } else if (isRecord(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (FORBIDDEN_KEYS.has(k)) return k;
      const bad = findForbiddenKey(v);
      if (bad) return bad;
    }
  }
  return null;
}

/** Checks the ODCS header, the owner team reference and the logical types of the schema. */
export function validateContract(doc: OdcsDocument): ContractValidation {
  const errors: string[] = [];
  const warnings: string[] = [];
  const { apiVersion, kind, id, version, status, team } = doc;
  if (typeof apiVersion !== 'string' || !/^v3\.\d+(\.\d+)?$/.test(apiVersion)) {
    errors.push('apiVersion must be an ODCS v3 version such as "v3.1.0"');
  }
  if (kind !== 'DataContract') errors.push('kind must be "DataContract"');
  if (typeof id !== 'string' || !ID_PATTERN.test(id)) {
    errors.push(
      'id must be 1 to 200 letters, digits, ".", "_", ":" or "-" (e.g. "orders_npii_v1")',
    );
  }
  if (typeof version !== 'string' || version.trim() === '' || version.length > 64) {
    errors.push('version must be a non-empty string such as "1.0.0"');
  } else if (!SEMVER.test(version)) {
    warnings.push(`version "${version}" is not semantic versioning (MAJOR.MINOR.PATCH)`);
  }
  if (
    typeof status !== 'string' ||
    !(DATA_CONTRACT_STATUSES as readonly string[]).includes(status)
  ) {
    errors.push(`status must be one of ${DATA_CONTRACT_STATUSES.join(', ')}`);
  }
  const teamName = isRecord(team) && typeof team.name === 'string' ? team.name.trim() : '';
  if (!teamName) errors.push('team.name must be the id of the owner team (see teams_list)');
  const columns = validateSchema(doc.schema, errors, warnings);
  validateRoles(doc.roles, columns, errors, warnings);
  if (doc.description === undefined)
    warnings.push('description is missing (purpose, usage, limitations)');
  if (errors.length) return { ok: false, errors };
  return {
    ok: true,
    header: {
      id: id as string,
      version: version as string,
      status: status as DataContractStatus,
      teamName,
    },
    warnings,
  };
}

/** Returns the known column names (`column` and `table.column`). */
function validateSchema(schema: unknown, errors: string[], warnings: string[]): Set<string> {
  const columns = new Set<string>();
  if (schema === undefined) {
    warnings.push('schema is missing: consumers cannot see the tables and columns');
    return columns;
  }
  if (!Array.isArray(schema)) {
    errors.push('schema must be a list of objects (tables)');
    return columns;
  }
  schema.forEach((table, i) => {
    const path = `schema[${i}]`;
    if (!isRecord(table) || typeof table.name !== 'string' || !table.name) {
      errors.push(`${path} must be an object with a name`);
      return;
    }
    const props = validateProperties(table.properties, path, errors, warnings);
    for (const p of props) {
      columns.add(p);
      columns.add(`${table.name}.${p}`);
    }
  });
  return columns;
}

function validateProperties(
  properties: unknown,
  path: string,
  errors: string[],
  warnings: string[],
): string[] {
  if (properties === undefined) return [];
  if (!Array.isArray(properties)) {
    errors.push(`${path}.properties must be a list`);
    return [];
  }
  const names: string[] = [];
  properties.forEach((prop, j) => {
    const p = `${path}.properties[${j}]`;
    if (!isRecord(prop) || typeof prop.name !== 'string' || !prop.name) {
      errors.push(`${p} must be an object with a name`);
      return;
    }
    names.push(prop.name);
    validateType(prop, `${p} (${prop.name})`, errors, warnings);
  });
  return names;
}

function validateType(
  prop: Record<string, unknown>,
  path: string,
  errors: string[],
  warnings: string[],
): void {
  const t = prop.logicalType;
  if (t === undefined) {
    warnings.push(`${path} has no logicalType`);
  } else if (typeof t !== 'string' || !(LOGICAL_TYPES as readonly string[]).includes(t)) {
    errors.push(`${path}.logicalType must be one of ${LOGICAL_TYPES.join(', ')}`);
  }
  if (t === 'object' && prop.properties !== undefined) {
    validateProperties(prop.properties, path, errors, warnings);
  }
  if (t === 'array' && isRecord(prop.items))
    validateType(prop.items, `${path}.items`, errors, warnings);
}

function validateRoles(
  roles: unknown,
  columns: Set<string>,
  errors: string[],
  warnings: string[],
): void {
  if (roles === undefined) return;
  if (!Array.isArray(roles)) {
    errors.push('roles must be a list of { role, access }');
    return;
  }
  roles.forEach((r, i) => {
    if (!isRecord(r) || typeof r.role !== 'string' || !r.role) {
      errors.push(`roles[${i}] must be an object with a role name`);
      return;
    }
    const custom = Array.isArray(r.customProperties) ? r.customProperties : [];
    const restricted = custom.find((c) => isRecord(c) && c.property === 'restrictedColumns') as
      { value?: unknown } | undefined;
    const listed = Array.isArray(restricted?.value) ? restricted.value : [];
    for (const col of listed) {
      if (typeof col !== 'string' || !columns.has(col)) {
        warnings.push(
          `roles[${i}] (${r.role}) lists restricted column ${String(col)}, which is not in the schema`,
        );
      }
    }
  });
}

/** JSON with sorted keys: equal for documents that differ only in key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isRecord(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

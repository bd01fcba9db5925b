import { parse, YAMLParseError } from 'yaml';
import { invalidArgument } from 'src/common/errors/domain-error';
import type { DocumentProblem } from 'src/catalog/documents/catalog-model';
import { readDataContract } from 'src/catalog/documents/data-contract.document';
import { REQUIRED } from 'src/catalog/documents/document-problems';
import { DataContractStatus, OdcsDocument } from 'src/catalog/entities';

/** ODCS v3.1.0 logical types (the one ODCS schema: src/catalog/documents). */
export { LOGICAL_TYPES } from 'src/catalog/documents/odcs-schema-objects';

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

/**
 * Checks a contract against our ODCS v3.1.0 / v3.0.x schema (the one the catalog API and the import
 * use) and names its owner team; errors read `<field> <what is wrong>`, a property annotated with
 * its name (`schema[0].properties[2] (email).logicalType must be one of …`).
 */
export function validateContract(doc: OdcsDocument): ContractValidation {
  const result = readDataContract(doc);
  if (!result.ok) return { ok: false, errors: result.problems.map((p) => errorText(p, doc)) };
  const { id, version, status, ownerTeamId } = result.model;
  return {
    ok: true,
    header: { id, version, status: status as DataContractStatus, teamName: ownerTeamId },
    warnings: result.warnings,
  };
}

const PATH_TOKEN = /\.([A-Za-z_$][\w$]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/g;

/** `$.schema[0].properties[2].logicalType` → `schema[0].properties[2] (email).logicalType …`. */
function errorText(problem: DocumentProblem, doc: OdcsDocument): string {
  const tokens = [...problem.path.matchAll(PATH_TOKEN)].map(
    ([, key, index, quoted]): string | number =>
      index !== undefined ? Number(index) : (key ?? (JSON.parse(quoted) as string)),
  );
  const texts: string[] = [''];
  let node: unknown = doc;
  let text = '';
  tokens.forEach((token, i) => {
    node =
      isRecord(node) || Array.isArray(node) ? (node as Record<string, unknown>)[token] : undefined;
    if (typeof token === 'number') {
      text += `[${token}]`;
      const name = isRecord(node) ? node.name : undefined;
      if (tokens[i - 1] === 'properties' && typeof name === 'string') text += ` (${name})`;
    } else {
      text += text ? `.${token}` : token;
    }
    texts.push(text);
  });
  const last = tokens[tokens.length - 1];
  if (problem.message === REQUIRED && typeof last === 'string') {
    const parent = texts[texts.length - 2];
    return parent ? `${parent} must be an object with a ${last}` : `${last} is required`;
  }
  return text ? `${text} ${problem.message}` : `The data contract ${problem.message}`;
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

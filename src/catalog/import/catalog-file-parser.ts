import { LineCounter, parseAllDocuments } from 'yaml';
import type { DocumentProblem } from 'src/catalog/documents/catalog-model';
import { detectKind } from 'src/catalog/documents/detect-kind';
import { TEAM_TYPES } from 'src/catalog/entities';
import { jsonDepth, MAX_JSON_DEPTH } from 'src/common/body-parsers';
import {
  CATALOG_EXTENSIONS,
  IMPORT_LIMITS,
  ParsedCatalog,
  SourceFile,
  tooLarge,
} from 'src/catalog/import/catalog-files';

/** Reads every document of every file; a file's problems never stop the others being read. */
export function parseCatalogFiles(files: readonly SourceFile[]): ParsedCatalog {
  const parsed: ParsedCatalog = { documents: [], problems: [] };
  for (const file of files) {
    const one = parseCatalogFile(file);
    parsed.documents.push(...one.documents);
    parsed.problems.push(...one.problems);
  }
  return parsed;
}

/**
 * A `.json` file holds one document; a YAML file one or several separated by `---` (YAML 1.2 §9.1).
 * Each document must be a team, an ODPS data product or an ODCS data contract.
 */
export function parseCatalogFile(file: SourceFile): ParsedCatalog {
  const problem = (path: string, message: string): ParsedCatalog => ({
    documents: [],
    problems: [{ source: file.name, path, message }],
  });
  if (!CATALOG_EXTENSIONS.test(file.name)) {
    return problem('$', 'not a catalog file: use .yaml, .yml or .json');
  }
  if (file.content.length > IMPORT_LIMITS.fileBytes) {
    return { documents: [], problems: [tooLarge(file.name)] };
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(file.content);
  } catch {
    return problem('$', 'the file is not UTF-8 text');
  }
  return /\.json$/i.test(file.name)
    ? parseJsonFile(file.name, text)
    : parseYamlFile(file.name, text);
}

function parseJsonFile(name: string, text: string): ParsedCatalog {
  if (jsonDepth(text) > MAX_JSON_DEPTH) {
    return {
      documents: [],
      problems: [
        { source: name, path: '$', message: `nested deeper than ${MAX_JSON_DEPTH} levels` },
      ],
    };
  }
  try {
    return toCatalogDocument(name, JSON.parse(text));
  } catch (err) {
    const message = err instanceof Error ? err.message : 'unreadable JSON';
    const at = /at position (\d+)/.exec(message);
    const where = at ? lineAndColumn(text, Number(at[1])) : 'line 1';
    const reason = message.replace(/ in JSON at position \d+.*$/, '');
    return {
      documents: [],
      problems: [{ source: name, path: where, message: `invalid JSON: ${reason}` }],
    };
  }
}

function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `line ${before.length}, column ${before[before.length - 1].length + 1}`;
}

function parseYamlFile(name: string, text: string): ParsedCatalog {
  const lines = new LineCounter();
  let docs: ReturnType<typeof parseAllDocuments>;
  try {
    docs = parseAllDocuments(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: true });
  } catch {
    return {
      documents: [],
      problems: [{ source: name, path: '$', message: 'unreadable YAML' }],
    };
  }
  const list = Array.isArray(docs) ? docs : [];
  const parsed: ParsedCatalog = { documents: [], problems: [] };
  for (const doc of list) {
    // Several documents in one file: name each by the line it starts on.
    const start = lines.linePos(doc.contents?.range?.[0] ?? doc.range?.[0] ?? 0).line;
    const source = list.length > 1 ? `${name}:${start}` : name;
    const error = doc.errors[0];
    if (error) {
      const [pos] = error.linePos ?? [];
      const where = pos ? `line ${pos.line}, column ${pos.col}` : `line ${start}`;
      parsed.problems.push({
        source: name,
        path: where,
        message: `invalid YAML: ${yamlReason(error.message)}`,
      });
      continue;
    }
    try {
      const value: unknown = doc.toJS({ maxAliasCount: IMPORT_LIMITS.aliases });
      if (value === null || value === undefined) continue; // an empty document (a trailing `---`)
      const one = toCatalogDocument(source, value);
      parsed.documents.push(...one.documents);
      parsed.problems.push(...one.problems);
    } catch (err) {
      const message = err instanceof Error ? firstLine(err.message) : 'unreadable YAML';
      parsed.problems.push({ source, path: '$', message: `invalid YAML: ${message}` });
    }
  }
  return parsed;
}

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

const firstLine = (message: string): string => message.split('\n', 1)[0].trim();

/** The parser's message without the position it appends (the problem's path carries it). */
const yamlReason = (message: string): string =>
  firstLine(message).replace(/ at line \d+, column \d+:?$/, '');

/**
 * A parsed body as a catalog document: a plain JSON object (no `__proto__`, `constructor` or
 * `prototype` keys, at most {@link MAX_JSON_DEPTH} levels) of a kind {@link detectKind} knows.
 */
export function toCatalogDocument(source: string, value: unknown): ParsedCatalog {
  const problem = (path: string, message: string): ParsedCatalog => ({
    documents: [],
    problems: [{ source, path, message }],
  });
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return problem('$', 'a catalog document must be an object (a mapping)');
  }
  let json: string;
  try {
    json = JSON.stringify(value);
  } catch {
    return problem('$', 'the document cannot be represented as JSON');
  }
  if (jsonDepth(json) > MAX_JSON_DEPTH) {
    return problem('$', `nested deeper than ${MAX_JSON_DEPTH} levels`);
  }
  const body = JSON.parse(json) as Record<string, unknown>;
  const forbidden = forbiddenKeyPath(body, '$');
  if (forbidden) return problem(forbidden, 'this key is not allowed');
  const kind = detectKind(body);
  if (!kind) return unknownKind(source, body);
  const id = typeof body.id === 'string' ? body.id : '';
  return { documents: [{ kind, id, body, source }], problems: [] };
}

/** Why a document is of no kind we know; a team with a wrong `type` is told the types. */
function unknownKind(source: string, body: Record<string, unknown>): ParsedCatalog {
  const teamLike = body.kind === undefined && body.apiVersion === undefined && 'type' in body;
  const problem: DocumentProblem = teamLike
    ? {
        source,
        path: '$.type',
        message: `a team's type must be one of ${TEAM_TYPES.join(', ')}`,
      }
    : {
        source,
        path: body.kind === undefined ? '$' : '$.kind',
        message:
          'unknown kind of document: expected a team (kind: Team), an ODPS data product (kind: DataProduct) or an ODCS data contract (kind: DataContract)',
      };
  return { documents: [], problems: [problem] };
}

/** The JSON path of the first `__proto__`, `constructor` or `prototype` key, if any. */
function forbiddenKeyPath(value: unknown, path: string): string | null {
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = forbiddenKeyPath(item, `${path}[${i}]`);
      if (found) return found;
    }
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      if (FORBIDDEN_KEYS.has(key)) return `${path}.${key}`;
      const found = forbiddenKeyPath(item, `${path}.${key}`);
      if (found) return found;
    }
  }
  return null;
}

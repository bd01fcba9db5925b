import type {
  DataProductSummaryDto,
  OutputPortSummaryDto,
} from 'src/catalog/dto/data-products.dto';
import { SummaryFields, toSummary } from 'src/catalog/data-products.mapper';
import { PreparedStatement, preparedStatement } from 'src/database/prepared';

/** What a search filters on besides its organization; each filter absent (null, no words) or given. */
export interface SearchParameters {
  organizationId: string;
  /** A status, or null for every status. */
  status: string | null;
  /** A team reference (external id or UUID) and that reference as a UUID (null when it is none). */
  team: { ref: string; uuid: string | null } | null;
  tag: string | null;
  /** The LIKE patterns of the words, each of which must match ({@link wordPatterns}); none: all. */
  patterns: string[];
  offset: number;
  limit: number;
}

type Key =
  'organization' | 'status' | 'teamRef' | 'teamUuid' | 'tag' | 'patterns' | 'offset' | 'limit';

interface CompiledSearch {
  statement: PreparedStatement;
  /** The parameter of each placeholder, in order ($1 first). */
  keys: Key[];
}

const variants = new Map<number, CompiledSearch>();

/**
 * The whole search in one statement and one round trip: the matching products with their owner team,
 * certification and output ports, already in the shape of a search result. Every table is read
 * within the caller's organization.
 *
 * Each combination of filters has a statement text of its own, holding only the conditions it
 * filters on (at most 16, built once each, named `catalog_search_products_<bits>`). So each is a
 * named statement that PostgreSQL plans once per connection and then runs with its generic plan: one
 * text for every combination, with `$n IS NULL OR …` conditions, makes every custom plan look cheaper
 * than the generic one, and PostgreSQL then plans it anew on every call (about 0.3 ms of planning for
 * 0.13 ms of execution on the demo catalog). For the same reason the words travel as a JSON array:
 * the planner estimates `unnest` of a known array by its length, which again makes custom plans look
 * cheaper; it cannot look into `json_array_elements_text`.
 *
 * Rows come back as arrays ({@link SearchProductRow}), which `pg` builds more cheaply than objects.
 *
 * With a team, `owned` is that team and every team below it (UNION stops on a cycle of parents), and
 * when no team has that reference the statement answers a single row with `unknownTeam` true, so
 * the caller can tell an unknown team from a team without matching products.
 */
export function searchStatement(search: SearchParameters): {
  statement: PreparedStatement;
  values: unknown[];
} {
  const bits =
    (search.status === null ? 0 : 1) |
    (search.team === null ? 0 : 2) |
    (search.tag === null ? 0 : 4) |
    (search.patterns.length === 0 ? 0 : 8);
  let compiled = variants.get(bits);
  if (!compiled) {
    compiled = compileSearch(bits);
    variants.set(bits, compiled);
  }
  const values = compiled.keys.map((key) => {
    switch (key) {
      case 'organization':
        return search.organizationId;
      case 'status':
        return search.status;
      case 'teamRef':
        return search.team?.ref;
      case 'teamUuid':
        return search.team?.uuid ?? null;
      case 'tag':
        return search.tag;
      case 'patterns':
        return JSON.stringify(search.patterns);
      case 'offset':
        return search.offset;
      case 'limit':
        return search.limit;
    }
  });
  return { statement: compiled.statement, values };
}

function compileSearch(bits: number): CompiledSearch {
  const keys: Key[] = [];
  const $ = (key: Key, cast: string): string => {
    let i = keys.indexOf(key);
    if (i < 0) i = keys.push(key) - 1;
    return `$${i + 1}::${cast}`;
  };
  const org = (): string => $('organization', 'uuid');
  const team = (bits & 2) !== 0;
  const teamCtes = team
    ? `WITH RECURSIVE root AS (
    SELECT t.id FROM teams t
     WHERE t.organization_id = ${org()}
       AND (t.external_id = ${$('teamRef', 'text')} OR t.id = ${$('teamUuid', 'uuid')})
     LIMIT 1
  ), owned(id) AS (
    SELECT id FROM root
    UNION
    SELECT t.id FROM teams t JOIN owned o ON t.parent_team_id = o.id WHERE t.organization_id = ${org()}
  )
  `
    : '';
  const select = `SELECT false AS "unknownTeam", p.external_id AS "externalId", p.name, p.description, p.status,
          p.archetype, p.tags, ot.external_id AS "teamExternalId", ot.name AS "teamName",
          c.name AS "certificationName", c.rank AS "certificationRank",
          (SELECT json_agg(json_build_object('id', op.external_id, 'name', op.name, 'type', op.type,
                                             'status', op.status) ORDER BY op.external_id)
             FROM output_ports op
            WHERE op.organization_id = p.organization_id AND op.data_product_id = p.id) AS "outputPorts"
     FROM data_products p
     LEFT JOIN certifications c ON c.id = p.certification_id AND c.organization_id = p.organization_id
     LEFT JOIN teams ot ON ot.id = p.owner_team_id AND ot.organization_id = p.organization_id
    WHERE p.organization_id = ${org()}`;
  const conditions = [
    (bits & 1) !== 0 ? `p.status = ${$('status', 'text')}` : undefined,
    team ? 'p.owner_team_id IN (SELECT id FROM owned)' : undefined,
    (bits & 4) !== 0
      ? `EXISTS (SELECT 1 FROM jsonb_array_elements_text(p.tags) AS t(tag)
                  WHERE lower(t.tag) = lower(${$('tag', 'text')}))`
      : undefined,
    (bits & 8) !== 0
      ? `NOT EXISTS (
            SELECT 1 FROM json_array_elements_text(${$('patterns', 'json')}) AS w(pat)
             WHERE NOT (
                   p.name ILIKE w.pat
                OR p.external_id ILIKE w.pat
                OR concat_ws(' ', p.description->>'purpose', p.description->>'usage',
                             p.description->>'limitations') ILIKE w.pat
                OR EXISTS (SELECT 1 FROM jsonb_array_elements_text(p.tags) AS pt(tag) WHERE pt.tag ILIKE w.pat)
                OR EXISTS (SELECT 1 FROM output_ports op
                            WHERE op.organization_id = p.organization_id AND op.data_product_id = p.id
                              AND (op.external_id ILIKE w.pat OR op.name ILIKE w.pat))))`
      : undefined,
  ].filter((c): c is string => c !== undefined);
  const products = `${select}${conditions
    .map(
      (c) => `
      AND ${c}`,
    )
    .join('')}
    ORDER BY c.rank ASC NULLS LAST, p.name ASC, p.id ASC
   OFFSET ${$('offset', 'bigint')} LIMIT ${$('limit', 'bigint')}`;
  const text = team
    ? `${teamCtes}(${products})
  UNION ALL
  SELECT true, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
   WHERE NOT EXISTS (SELECT 1 FROM root)`
    : products;
  return {
    statement: preparedStatement(
      `catalog_search_products_${bits.toString(2).padStart(4, '0')}`,
      text,
      { rowMode: 'array' },
    ),
    keys,
  };
}

/**
 * A row of {@link searchStatement}, its columns in the order of the SELECT list (the statement
 * answers arrays, see PreparedStatement.rowMode): a product, or only `unknownTeam` (the rest NULL).
 */
export type SearchProductRow = [
  unknownTeam: boolean,
  externalId: SummaryFields['externalId'],
  name: SummaryFields['name'],
  description: SummaryFields['description'],
  status: SummaryFields['status'],
  archetype: SummaryFields['archetype'],
  tags: SummaryFields['tags'],
  teamExternalId: string | null,
  teamName: string | null,
  certificationName: string | null,
  certificationRank: number | null,
  outputPorts: OutputPortSummaryDto[] | null,
];

/** The single row a team search answers when no team has the reference given. */
export const isUnknownTeamRow = (row: SearchProductRow | undefined): boolean => row?.[0] === true;

const escapeLike = (s: string): string => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The LIKE patterns of the first ten words of `query` ("*": none, every product matches). */
export function wordPatterns(query: string): string[] {
  if (query === '*') return [];
  return query
    .split(/\s+/)
    .slice(0, 10)
    .map((word) => `%${escapeLike(word)}%`);
}

/** A product row as a search result (a missing team or certification as in toSummaries). */
export function toSearchSummary(row: SearchProductRow): DataProductSummaryDto {
  const [
    ,
    externalId,
    name,
    description,
    status,
    archetype,
    tags,
    teamExternalId,
    teamName,
    certificationName,
    certificationRank,
    outputPorts,
  ] = row;
  const team = { externalId: teamExternalId ?? '', name: teamName ?? '' };
  const cert =
    certificationName === null || certificationRank === null
      ? undefined
      : { name: certificationName, rank: certificationRank };
  return toSummary(
    { externalId, name, description, status, archetype, tags },
    team,
    cert,
    outputPorts ?? [],
  );
}

import type {
  DataProductSummaryDto,
  OutputPortSummaryDto,
} from 'src/catalog/dto/data-products.dto';
import { SummaryFields, toSummary } from 'src/catalog/data-products.mapper';
import { preparedStatement } from 'src/database/prepared';

/**
 * The whole search in one statement and one round trip: the matching products with their owner team,
 * certification and output ports, already in the shape of a search result. One text serves every
 * combination of filters (an absent filter is a NULL parameter, no words an empty array), so
 * PostgreSQL plans it once per connection. Every table is read within the caller's organization.
 *
 * Parameters: $1 organization, $2 status or NULL for every status, $3 team reference (external id or
 * UUID) or NULL, $4 that reference as a UUID or NULL, $5 tag or NULL, $6 the LIKE patterns of the
 * words (each must match the name, the id, the description's values, a tag, or an output port's id or
 * name), $7 offset, $8 limit.
 *
 * With a team, `owned` is that team and every team below it (UNION stops on a cycle of parents), and
 * when no team has that reference the statement answers a single row with `unknownTeam` true, so
 * the caller can tell an unknown team from a team without matching products.
 */
export const SEARCH_PRODUCTS = preparedStatement(
  'catalog_search_products',
  `
  WITH RECURSIVE root AS (
    SELECT t.id FROM teams t
     WHERE $3::text IS NOT NULL AND t.organization_id = $1
       AND (t.external_id = $3::text OR t.id = $4::uuid)
     LIMIT 1
  ), owned(id) AS (
    SELECT id FROM root
    UNION
    SELECT t.id FROM teams t JOIN owned o ON t.parent_team_id = o.id WHERE t.organization_id = $1
  )
  (SELECT false AS "unknownTeam", p.external_id AS "externalId", p.name, p.description, p.status,
          p.archetype, p.tags, ot.external_id AS "teamExternalId", ot.name AS "teamName",
          c.name AS "certificationName", c.rank AS "certificationRank",
          (SELECT json_agg(json_build_object('id', op.external_id, 'name', op.name, 'type', op.type,
                                             'status', op.status) ORDER BY op.external_id)
             FROM output_ports op
            WHERE op.organization_id = p.organization_id AND op.data_product_id = p.id) AS "outputPorts"
     FROM data_products p
     LEFT JOIN certifications c ON c.id = p.certification_id AND c.organization_id = p.organization_id
     LEFT JOIN teams ot ON ot.id = p.owner_team_id AND ot.organization_id = p.organization_id
    WHERE p.organization_id = $1
      AND ($2::text IS NULL OR p.status = $2::text)
      AND ($3::text IS NULL OR p.owner_team_id IN (SELECT id FROM owned))
      AND ($5::text IS NULL OR EXISTS (
            SELECT 1 FROM jsonb_array_elements_text(p.tags) AS t(tag) WHERE lower(t.tag) = lower($5::text)))
      AND NOT EXISTS (
            SELECT 1 FROM unnest($6::text[]) AS w(pat)
             WHERE NOT (
                   p.name ILIKE w.pat
                OR p.external_id ILIKE w.pat
                OR concat_ws(' ', p.description->>'purpose', p.description->>'usage',
                             p.description->>'limitations') ILIKE w.pat
                OR EXISTS (SELECT 1 FROM jsonb_array_elements_text(p.tags) AS pt(tag) WHERE pt.tag ILIKE w.pat)
                OR EXISTS (SELECT 1 FROM output_ports op
                            WHERE op.organization_id = p.organization_id AND op.data_product_id = p.id
                              AND (op.external_id ILIKE w.pat OR op.name ILIKE w.pat))))
    ORDER BY c.rank ASC NULLS LAST, p.name ASC, p.id ASC
   OFFSET $7::bigint LIMIT $8::bigint)
  UNION ALL
  SELECT true, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
   WHERE $3::text IS NOT NULL AND NOT EXISTS (SELECT 1 FROM root)`,
);

/** A row of {@link SEARCH_PRODUCTS}: a product, or only `unknownTeam` (the rest NULL). */
export interface SearchProductRow extends SummaryFields {
  unknownTeam: boolean;
  teamExternalId: string | null;
  teamName: string | null;
  certificationName: string | null;
  certificationRank: number | null;
  outputPorts: OutputPortSummaryDto[] | null;
}

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
  const team = { externalId: row.teamExternalId ?? '', name: row.teamName ?? '' };
  const cert =
    row.certificationName === null || row.certificationRank === null
      ? undefined
      : { name: row.certificationName, rank: row.certificationRank };
  return toSummary(row, team, cert, row.outputPorts ?? []);
}

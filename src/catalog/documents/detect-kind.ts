import type { CatalogKind } from 'src/catalog/documents/catalog-model';
import { TEAM_TYPES } from 'src/catalog/entities';

/**
 * The kind of a catalog document: ODPS (`kind: DataProduct`), ODCS (`kind: DataContract`), a team
 * (`kind: Team`, or, as Entropy Data's team API writes it, no `apiVersion` and a team `type`).
 * Anything else is null.
 */
export function detectKind(body: unknown): CatalogKind | null {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return null;
  const { kind, apiVersion, type } = body as Record<string, unknown>;
  if (kind === 'DataProduct') return 'dataproduct';
  if (kind === 'DataContract') return 'datacontract';
  if (kind === 'Team') return 'team';
  if (kind !== undefined) return null;
  if (apiVersion === undefined && (TEAM_TYPES as readonly unknown[]).includes(type)) return 'team';
  return null;
}

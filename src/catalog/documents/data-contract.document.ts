import { z } from 'zod';
import type { DataContractModel, ReadResult } from 'src/catalog/documents/catalog-model';
import { customPropertyProblems } from 'src/catalog/documents/custom-properties';
import { addNew, ownerTeam } from 'src/catalog/documents/owner-team';
import { checkId, notAnObject, parseDocument } from 'src/catalog/documents/document-problems';
import { odcsSchema } from 'src/catalog/documents/odcs.schema';
import { contractTables } from 'src/catalog/documents/odcs-tables';
import { odcsWarnings } from 'src/catalog/documents/odcs-warnings';

/**
 * Reads an ODCS v3.1.0 (or v3.0.x) data contract: our schema, then the owner team, which is
 * `team.name` (ODCS v3.1.0 Team), else the custom property `owner`, else `domain` (ODCS v3.0.x
 * has no team name). The body itself is stored unchanged; the model is what we index.
 */

export const OWNER_MESSAGE =
  'must be the id of the owner team (see teams_list); a contract may instead name it in the custom property "owner" or in "domain"';

const CONTRACT_PROPERTIES = { owner: z.string().min(1) };

export function readDataContract(
  body: unknown,
  expectedId?: string,
): ReadResult<DataContractModel> {
  const notObject = notAnObject(body, 'an ODCS v3 data contract');
  if (notObject) return { ok: false, problems: notObject };
  const { body: doc, problems } = checkId(body as Record<string, unknown>, expectedId);
  const parsed = parseDocument(odcsSchema, doc);
  problems.push(...parsed.problems);
  problems.push(
    ...customPropertyProblems(doc.customProperties, CONTRACT_PROPERTIES, ['customProperties']),
  );
  const owner = ownerTeam(doc, { domain: true, message: OWNER_MESSAGE });
  addNew(problems, owner.problems);
  if (problems.length || !parsed.data || !owner.id) {
    return { ok: false, problems };
  }
  const { id, version, status } = parsed.data;
  return {
    ok: true,
    model: { id, version, status, ownerTeamId: owner.id, tables: contractTables(doc) },
    warnings: odcsWarnings(doc),
  };
}

import type { DocumentProblem } from 'src/catalog/documents/catalog-model';
import { customValue, customValuePath } from 'src/catalog/documents/custom-properties';

/**
 * The owner team of an ODPS v1.0.0 product or ODCS v3.1.0 contract: `team.name` (the Bitol team
 * block), else the custom property `owner` (Entropy Data's convention; it must then agree with
 * `team.name`), else, for a contract, `domain` (ODCS v3.0.x has a list of members, no team name).
 * Reads the raw body, so the problem is listed with the schema's.
 */
export function ownerTeam(
  doc: Record<string, unknown>,
  options: { domain: boolean; message: string },
): { id: string | null; problems: DocumentProblem[] } {
  const team = doc.team;
  const teamName =
    typeof team === 'object' && team !== null && !Array.isArray(team)
      ? (team as Record<string, unknown>).name
      : undefined;
  const custom = customValue(doc.customProperties, 'owner');
  if (named(teamName) && named(custom) && custom !== teamName) {
    const path = customValuePath(doc.customProperties, 'owner', ['customProperties']) ?? '$';
    return { id: null, problems: [{ path, message: `must be team.name ("${teamName}")` }] };
  }
  if (named(teamName)) return { id: teamName, problems: [] };
  if (named(custom)) return { id: custom, problems: [] };
  if (options.domain && named(doc.domain)) return { id: doc.domain, problems: [] };
  return { id: null, problems: [{ path: '$.team.name', message: options.message }] };
}

const named = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';

/** `extra` without the problems at paths `problems` already reports (one message per place). */
export function addNew(problems: DocumentProblem[], extra: DocumentProblem[]): void {
  problems.push(...extra.filter((e) => !problems.some((p) => p.path === e.path)));
}

import { z } from 'zod';
import type { DocumentProblem, ReadResult, TeamModel } from 'src/catalog/documents/catalog-model';
import { tagsSchema } from 'src/catalog/documents/bitol.schema';
import {
  checkId,
  idSchema,
  mustBeOneOf,
  notAnObject,
  parseDocument,
} from 'src/catalog/documents/document-problems';
import { TEAM_ROLES, TEAM_TYPES } from 'src/catalog/entities';

/**
 * A team document, as Entropy Data's REST API exchanges it (`PUT /api/teams/{id}`): `id`, `name`,
 * `type`, `parent`, `description`, `members[{emailAddress, role}]`, `tags`, `links`, `custom`;
 * in a catalog folder optionally `kind: Team` and an `apiVersion`. Roles are compared without
 * case (`Owner` = `owner`).
 */

const roleSchema = z
  .string()
  .refine((role) => (TEAM_ROLES as readonly string[]).includes(role.toLowerCase()), {
    error: `${mustBeOneOf(TEAM_ROLES)} (in any case)`,
  });

/** Deliberately loose: any `local@domain.tld` without spaces. */
const emailSchema = z
  .string()
  .regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, { error: 'must be an email address' });

export const teamDocumentSchema = z.looseObject({
  apiVersion: z.string().optional(),
  kind: z.literal('Team').optional(),
  id: idSchema,
  name: z.string().min(1),
  type: z.enum(TEAM_TYPES, { error: mustBeOneOf(TEAM_TYPES) }),
  parent: idSchema.nullable().optional(),
  description: z.string().optional(),
  members: z.array(z.looseObject({ emailAddress: emailSchema, role: roleSchema })).optional(),
  tags: tagsSchema.optional(),
  links: z.record(z.string(), z.string()).optional(),
  custom: z.record(z.string(), z.string()).optional(),
});

export function readTeam(body: unknown, expectedId?: string): ReadResult<TeamModel> {
  const notObject = notAnObject(body, 'a team');
  if (notObject) return { ok: false, problems: notObject };
  const { body: doc, problems } = checkId(body as Record<string, unknown>, expectedId);
  const parsed = parseDocument(teamDocumentSchema, doc);
  problems.push(...parsed.problems, ...teamRules(doc));
  if (problems.length || !parsed.data) return { ok: false, problems };
  const team = parsed.data;
  return {
    ok: true,
    model: {
      id: team.id,
      name: team.name,
      type: team.type,
      parentId: team.parent ?? null,
      members: (team.members ?? []).map((m) => ({
        email: m.emailAddress.toLowerCase(),
        role: m.role.toLowerCase(),
      })),
    },
    warnings: [],
  };
}

/** A team is not its own parent and lists each member once. */
function teamRules(doc: Record<string, unknown>): DocumentProblem[] {
  const problems: DocumentProblem[] = [];
  if (doc.parent !== undefined && doc.parent !== null && doc.parent === doc.id) {
    problems.push({ path: '$.parent', message: 'must not be the team itself' });
  }
  const seen = new Map<string, number>();
  (Array.isArray(doc.members) ? (doc.members as unknown[]) : []).forEach((m, i) => {
    const email = (m as { emailAddress?: unknown } | null)?.emailAddress;
    if (typeof email !== 'string') return;
    const first = seen.get(email.toLowerCase());
    if (first === undefined) seen.set(email.toLowerCase(), i);
    else {
      problems.push({
        path: `$.members[${i}].emailAddress`,
        message: `is already listed in $.members[${first}]`,
      });
    }
  });
  return problems;
}

/**
 * The team document of a team: `base` (the stored document) with the model's fields laid over it,
 * so description, tags, links, custom and unknown fields survive; a member keeps the spelling of
 * its role when only the case differs.
 */
export function teamDocumentFromModel(
  team: TeamModel,
  base: Record<string, unknown> = {},
): Record<string, unknown> {
  const doc: Record<string, unknown> = { ...base, id: team.id, name: team.name, type: team.type };
  if (team.parentId) doc.parent = team.parentId;
  else delete doc.parent;
  const before = Array.isArray(base.members)
    ? (base.members as Array<Record<string, unknown>>)
    : [];
  doc.members = team.members.map((member) => {
    const old = before.find(
      (m) => typeof m?.emailAddress === 'string' && m.emailAddress.toLowerCase() === member.email,
    );
    const role =
      typeof old?.role === 'string' && old.role.toLowerCase() === member.role
        ? old.role
        : capitalize(member.role);
    return { ...old, emailAddress: member.email, role };
  });
  return doc;
}

const capitalize = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

import { z } from 'zod';

/**
 * Structures shared by the Bitol standards (ODPS v1.0.0 "Ancillary Objects", "Team", "Support and
 * Communication Channels"; ODCS v3.1.0 "Other Properties", "Team", "Support"). ODPS gives URLs the
 * `uri` format; ODCS v3.1.0 leaves them plain strings and adds a stable `id` to each element.
 * Objects are loose: fields the standards do not define are kept.
 */

export const tagsSchema = z.array(z.string());

/** ODCS v3.1.0 StableId. */
export const stableIdSchema = z.string().regex(/^[A-Za-z0-9_-]+$/, {
  error: 'must be letters, digits, "_" or "-"',
});

export const customPropertySchema = z.looseObject({
  id: stableIdSchema.optional(),
  property: z.string(),
  value: z.unknown().refine((v) => v !== undefined, { error: 'is required' }),
  description: z.string().optional(),
});
export const customPropertiesSchema = z.array(customPropertySchema);

const urlSchema = z.url();

export function authoritativeDefinitionsSchema(format: 'uri' | 'text') {
  return z.array(
    z.looseObject({
      id: stableIdSchema.optional(),
      type: z.string(),
      url: format === 'uri' ? urlSchema : z.string(),
      description: z.string().optional(),
    }),
  );
}

/** A team member (ODPS v1.0.0 `team.members[]`, ODCS v3.1.0 TeamMember, ODCS v3.0.x `team[]`). */
export function teamMemberSchema(urls: 'uri' | 'text') {
  return z.looseObject({
    id: stableIdSchema.optional(),
    username: z.string(),
    name: z.string().optional(),
    description: z.string().optional(),
    role: z.string().optional(),
    dateIn: z.iso.date().optional(),
    dateOut: z.iso.date().optional(),
    replacedByUsername: z.string().optional(),
    tags: tagsSchema.optional(),
    customProperties: customPropertiesSchema.optional(),
    authoritativeDefinitions: authoritativeDefinitionsSchema(urls).optional(),
  });
}

/** The team block (ODPS v1.0.0 `team`, ODCS v3.1.0 Team). */
export function teamBlockSchema(urls: 'uri' | 'text') {
  return z.looseObject({
    id: stableIdSchema.optional(),
    name: z.string().optional(),
    description: z.string().optional(),
    members: z.array(teamMemberSchema(urls)).optional(),
    tags: tagsSchema.optional(),
    customProperties: customPropertiesSchema.optional(),
    authoritativeDefinitions: authoritativeDefinitionsSchema(urls).optional(),
  });
}

/**
 * A support channel. ODPS v1.0.0 and ODCS v3.0.x require `channel` and `url` (ODPS: a URI);
 * ODCS v3.1.0 only `channel`. `tool` and `scope` list examples, not an enum, in both.
 */
export function supportChannelSchema(standard: 'odps' | 'odcs') {
  return z.looseObject({
    id: stableIdSchema.optional(),
    channel: z.string(),
    url: standard === 'odps' ? urlSchema : z.string().optional(),
    description: z.string().optional(),
    tool: z.string().optional(),
    scope: z.string().optional(),
    invitationUrl: standard === 'odps' ? urlSchema.optional() : z.string().optional(),
    tags: tagsSchema.optional(),
    customProperties: customPropertiesSchema.optional(),
    authoritativeDefinitions: authoritativeDefinitionsSchema(
      standard === 'odps' ? 'uri' : 'text',
    ).optional(),
  });
}

/** The `description` block (ODPS v1.0.0 and ODCS v3.1.0 alike). */
export function descriptionSchema(urls: 'uri' | 'text') {
  return z.looseObject({
    purpose: z.string().optional(),
    limitations: z.string().optional(),
    usage: z.string().optional(),
    authoritativeDefinitions: authoritativeDefinitionsSchema(urls).optional(),
    customProperties: customPropertiesSchema.optional(),
  });
}

import { INestApplicationContext } from '@nestjs/common';
import { API_KEY_PATTERN, displayHint } from 'src/api-keys/api-key.format';
import { ApiKeyService } from 'src/api-keys/api-key.service';
import { ApiKeysModule } from 'src/api-keys/api-keys.module';
import { ApiKeyDto } from 'src/api-keys/dto/api-key.dto';
import { CliCommandGroup, defineCommand } from 'src/cli/cli-command';
import { DomainError, ErrorCode, invalidArgument, notFound } from 'src/common/errors/domain-error';
import { MembershipsService } from 'src/users/memberships.service';
import { Organization } from 'src/users/organization.entity';
import { OrganizationsService } from 'src/users/organizations.service';
import { User } from 'src/users/user.entity';
import { UsersModule } from 'src/users/users.module';
import { normalizeEmail, UsersService } from 'src/users/users.service';

export const MAX_EXPIRY_DAYS = 3650;
const DAY_MS = 24 * 60 * 60 * 1000;
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `--expires-in-days`: whole days from `now`, 1 to {@link MAX_EXPIRY_DAYS}; absent = no expiry. */
export function parseExpiresInDays(raw: string | undefined, now = Date.now()): Date | null {
  if (raw === undefined) return null;
  const days = /^\s*\d{1,4}\s*$/.test(raw) ? Number(raw) : NaN;
  if (!(days >= 1 && days <= MAX_EXPIRY_DAYS)) {
    throw invalidArgument(`--expires-in-days must be a whole number from 1 to ${MAX_EXPIRY_DAYS}`);
  }
  return new Date(now + days * DAY_MS);
}

/** `--id`: a key id (UUID). Never echoes the value: an operator may paste the key itself. */
export function parseKeyId(raw: string): string {
  const value = raw.trim();
  if (API_KEY_PATTERN.test(value)) {
    throw invalidArgument(
      `--id takes the key's id, not the key: find the id of ${displayHint(value)} with key:list`,
    );
  }
  if (!UUID_PATTERN.test(value)) {
    throw invalidArgument('--id must be a key id: a UUID as key:list shows it');
  }
  return value.toLowerCase();
}

/** The organization and, with `--email`, the member the key acts as. */
async function resolveOwner(
  app: INestApplicationContext,
  slug: string,
  email: string | undefined,
): Promise<{ org: Organization; user: User | null }> {
  const org = await app.get(OrganizationsService).getBySlug(slug);
  if (email === undefined) return { org, user: null };
  const user = await app.get(UsersService).findByEmail(email);
  if (!user) throw notFound(`User ${normalizeEmail(email)}`);
  if (!(await app.get(MembershipsService).findRole(user.id, org.id))) {
    throw invalidArgument(
      `${user.email} is not a member of ${org.slug}: add them with member:add first`,
    );
  }
  if (user.disabledAt) {
    throw invalidArgument(`User ${user.email} is disabled: a key for them would not work`);
  }
  return { org, user };
}

const create = defineCommand({
  name: 'key:create',
  summary: 'Create an API key for a member (--email) or the organization; shows the key once',
  options: {
    org: { value: 'SLUG', description: 'organization slug', required: true },
    email: {
      value: 'EMAIL',
      description: 'member the key acts as; without it an organization-level key (admin API only)',
    },
    name: {
      value: 'NAME',
      description: 'label in key lists; defaults to "CLI key" or "Organization key"',
    },
    'read-only': { flag: true, description: 'the key can read but never change anything' },
    'expires-in-days': {
      value: 'DAYS',
      description: `stops working after 1 to ${MAX_EXPIRY_DAYS} days; defaults to never`,
    },
  },
  async run({ app, principal }, options) {
    const expiresAt = parseExpiresInDays(options['expires-in-days']);
    const { org, user } = await resolveOwner(app, options.org, options.email);
    const key = await app.get(ApiKeyService).create(principal, {
      kind: user ? 'user' : 'organization',
      name: options.name ?? (user ? 'CLI key' : 'Organization key'),
      readOnly: options['read-only'],
      expiresAt,
      organizationId: org.id,
      userId: user?.id,
    });
    const what = [
      user ? `user key for ${user.email} in ${org.slug}` : `organization key for ${org.slug}`,
      key.readOnly ? 'read-only' : 'read-write',
      key.expiresAt ? `expires ${formatTime(key.expiresAt)} UTC` : 'no expiry',
    ].join(', ');
    return {
      json: { id: key.id, key: key.key },
      text: `${key.key}\nThis key is shown only once: store it now. Created ${what}; id ${key.id}.`,
    };
  },
});

interface ListedKey extends Record<string, unknown> {
  id: string;
  name: string;
  kind: ApiKeyDto['kind'];
  displayHint: string;
  /** The user's email, or `organization` for an organization-level key. */
  owner: string;
  readOnly: boolean;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
}

/** Field by field, so nothing the service may add later (secrets included) reaches the output. */
const toListed = (k: ApiKeyDto): ListedKey => ({
  id: k.id,
  name: k.name,
  kind: k.kind,
  displayHint: k.displayHint,
  owner: k.kind === 'organization' ? 'organization' : (k.userEmail ?? k.userId ?? 'unknown'),
  readOnly: k.readOnly,
  createdAt: k.createdAt,
  lastUsedAt: k.lastUsedAt,
  expiresAt: k.expiresAt,
});

/** `2026-01-31 09:15`, in UTC. */
const formatTime = (iso: string): string => iso.slice(0, 16).replace('T', ' ');

/** Control characters in names would garble (or drive) the terminal. */
const printable = (text: string): string => text.replace(/\p{Cc}/gu, ' ');

function formatKeyTable(slug: string, keys: readonly ListedKey[]): string {
  if (keys.length === 0) return `No active API keys in ${slug}`;
  const rows = [
    ['ID', 'NAME', 'KIND', 'KEY', 'OWNER', 'ACCESS', 'CREATED (UTC)', 'LAST USED', 'EXPIRES'],
    ...keys.map((k) => [
      k.id,
      printable(k.name),
      k.kind,
      k.displayHint,
      k.owner,
      k.readOnly ? 'read-only' : 'read-write',
      formatTime(k.createdAt),
      k.lastUsedAt ? formatTime(k.lastUsedAt) : 'never',
      k.expiresAt ? formatTime(k.expiresAt) : 'never',
    ]),
  ];
  const widths = rows[0].map((_, col) => Math.max(...rows.map((row) => row[col].length)));
  return rows
    .map((row) =>
      row
        .map((cell, col) => cell.padEnd(widths[col]))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

const list = defineCommand({
  name: 'key:list',
  summary: 'List the active (unrevoked, unexpired) API keys of an organization; never the keys',
  options: {
    org: { value: 'SLUG', description: 'organization slug', required: true },
  },
  async run({ app, principal }, options) {
    const org = await app.get(OrganizationsService).getBySlug(options.org);
    const now = Date.now();
    const keys = (await app.get(ApiKeyService).list(principal, { organizationId: org.id }))
      .filter((k) => k.expiresAt === null || Date.parse(k.expiresAt) > now)
      .map(toListed);
    return { json: { organization: org.slug, keys }, text: formatKeyTable(org.slug, keys) };
  },
});

const revoke = defineCommand({
  name: 'key:revoke',
  summary: 'Revoke an API key: running servers stop accepting it within seconds',
  options: {
    id: { value: 'ID', description: 'the key id key:list shows (a UUID)', required: true },
  },
  async run({ app, principal }, options) {
    const id = parseKeyId(options.id);
    const before = Date.now();
    const key = await app
      .get(ApiKeyService)
      .revoke(principal, id)
      .catch((err: unknown) => {
        const missing = err instanceof DomainError && err.code === ErrorCode.NotFound;
        throw missing ? notFound(`API key ${id}`) : err;
      });
    const revokedAt = key.revokedAt ?? new Date(before).toISOString();
    const already = Date.parse(revokedAt) < before;
    const what = `${key.kind} key ${key.displayHint} "${printable(key.name)}" (id ${key.id})`;
    return {
      json: {
        id: key.id,
        name: key.name,
        kind: key.kind,
        displayHint: key.displayHint,
        revokedAt,
      },
      text: already
        ? `The ${what} was already revoked on ${formatTime(revokedAt)} UTC`
        : `Revoked the ${what}`,
    };
  },
});

export const keyCommands: CliCommandGroup = {
  modules: [UsersModule, ApiKeysModule],
  commands: [create, list, revoke],
};

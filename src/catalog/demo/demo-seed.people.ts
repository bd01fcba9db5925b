import { In } from 'typeorm';
import type { DemoSeedContext } from 'src/catalog/demo/demo-seed.context';
import { Certification, Team, TeamMember } from 'src/catalog/entities';
import { Membership } from 'src/users/membership.entity';
import { Organization } from 'src/users/organization.entity';
import { User } from 'src/users/user.entity';

/** Seed steps for organizations, users, memberships, teams and certifications. */

export async function seedOrganizations(ctx: DemoSeedContext): Promise<void> {
  const slugs = ctx.data.organizations.map((o) => o.slug);
  for (const o of await ctx.tx.find(Organization, { where: { slug: In(slugs) } })) {
    ctx.remember(`org:${o.slug}`, o.id);
  }
  await ctx.insertMissing(
    Organization,
    ctx.data.organizations.map((o) => ({
      key: `org:${o.slug}`,
      values: { name: o.name, slug: o.slug },
    })),
  );
}

/** Creates the missing users with the hash from `passwordHash` (called only if one is missing). */
export async function seedUsers(
  ctx: DemoSeedContext,
  passwordHash: () => Promise<string>,
): Promise<number> {
  const emails = ctx.data.users.map((u) => u.email);
  const existing = await ctx.tx
    .createQueryBuilder(User, 'u')
    .where('lower(u.email) IN (:...emails)', { emails })
    .getMany();
  for (const u of existing) ctx.remember(`user:${u.email.toLowerCase()}`, u.id);
  if (ctx.data.users.every((u) => ctx.has(`user:${u.email}`))) return 0;
  const hash = await passwordHash();
  return ctx.insertMissing(
    User,
    ctx.data.users.map((u) => ({
      key: `user:${u.email}`,
      values: { email: u.email, name: u.name, passwordHash: hash, disabledAt: null },
    })),
  );
}

export async function seedMemberships(ctx: DemoSeedContext): Promise<void> {
  const where = { organizationId: In(ctx.orgIds()) };
  for (const m of await ctx.tx.find(Membership, { where })) {
    ctx.remember(`member:${m.organizationId}/${m.userId}`, m.userId);
  }
  await ctx.insertMissing(
    Membership,
    ctx.data.organizations.flatMap((o) =>
      o.members.map((m) => {
        const organizationId = ctx.org(o.slug);
        const userId = ctx.user(m.email);
        return {
          key: `member:${organizationId}/${userId}`,
          values: { organizationId, userId, role: m.role },
        };
      }),
    ),
  );
}

/** Teams one by one in data order, so that a parent exists before its children; then members. */
export async function seedTeams(ctx: DemoSeedContext): Promise<void> {
  const where = { organizationId: In(ctx.orgIds()) };
  for (const t of await ctx.tx.find(Team, { where })) {
    ctx.remember(`team:${t.organizationId}/${t.externalId}`, t.id);
  }
  for (const t of ctx.data.teams) {
    await ctx.insertMissing(Team, [
      {
        key: ctx.scoped('team', t.organization, t.externalId),
        values: {
          organizationId: ctx.org(t.organization),
          externalId: t.externalId,
          name: t.name,
          type: t.type,
          parentTeamId: t.parent ? ctx.id(ctx.scoped('team', t.organization, t.parent)) : null,
        },
      },
    ]);
  }
  for (const m of await ctx.tx.find(TeamMember, { where })) {
    ctx.remember(`team-member:${m.teamId}/${m.userId}`, m.userId);
  }
  await ctx.insertMissing(
    TeamMember,
    ctx.data.teams.flatMap((t) =>
      t.members.map((m) => {
        const teamId = ctx.id(ctx.scoped('team', t.organization, t.externalId));
        const userId = ctx.user(m.email);
        return {
          key: `team-member:${teamId}/${userId}`,
          values: { teamId, userId, organizationId: ctx.org(t.organization), role: m.role },
        };
      }),
    ),
  );
}

export async function seedCertifications(ctx: DemoSeedContext): Promise<void> {
  const where = { organizationId: In(ctx.orgIds()) };
  for (const c of await ctx.tx.find(Certification, { where })) {
    ctx.remember(`certification:${c.organizationId}/${c.name}`, c.id);
  }
  await ctx.insertMissing(
    Certification,
    ctx.data.organizations.flatMap((o) =>
      ctx.data.certifications.map((c) => ({
        key: ctx.scoped('certification', o.slug, c.name),
        values: { organizationId: ctx.org(o.slug), name: c.name, rank: c.rank },
      })),
    ),
  );
}

import { INestApplicationContext } from '@nestjs/common';
import { CliCommandGroup, CommandOutput, defineCommand } from 'src/cli/cli-command';
import { notFound } from 'src/common/errors/domain-error';
import { MemberDto } from 'src/members/dto/member.dto';
import { MembersModule } from 'src/members/members.module';
import { MembersService } from 'src/members/members.service';
import { ORGANIZATION_ROLES, OrganizationRole } from 'src/auth/principal';
import { MembershipsService, parseRole } from 'src/users/memberships.service';
import { Organization } from 'src/users/organization.entity';
import { OrganizationsService } from 'src/users/organizations.service';
import { User } from 'src/users/user.entity';
import { UsersModule } from 'src/users/users.module';
import { normalizeEmail, UsersService } from 'src/users/users.service';

const toJson = (org: Organization, m: MemberDto): CommandOutput['json'] => ({
  organizationId: org.id,
  organization: org.slug,
  userId: m.userId,
  email: m.email,
  role: m.role,
});

/**
 * The organization, the user (the CLI names people by email, the API by id) and their current role
 * there, if any. The changes themselves go through MembersService, as from the API and the settings
 * pages: same rules, same audit events, and a removal revokes the member's OAuth grants.
 */
async function resolveMember(
  app: INestApplicationContext,
  slug: string,
  email: string,
): Promise<{ org: Organization; user: User; role: OrganizationRole | null }> {
  const org = await app.get(OrganizationsService).getBySlug(slug);
  const user = await app.get(UsersService).findByEmail(email);
  if (!user) throw notFound(`User ${normalizeEmail(email)}`);
  return { org, user, role: await app.get(MembershipsService).findRole(user.id, org.id) };
}

const add = defineCommand({
  name: 'member:add',
  summary: 'Add a user to an organization, or change their role there',
  options: {
    org: { value: 'SLUG', description: 'organization slug', required: true },
    email: { value: 'EMAIL', description: 'email address of the user', required: true },
    role: { value: 'ROLE', description: ORGANIZATION_ROLES.join(' | '), required: true },
  },
  async run({ app, principal }, { org: slug, email, role }) {
    parseRole(role); // a role that does not exist is the first thing to say
    const { org, user, role: current } = await resolveMember(app, slug, email);
    const members = app.get(MembersService);
    const m = current
      ? await members.changeRole(principal, org.slug, user.id, role)
      : await members.add(principal, org.slug, { email: user.email, role });
    return { json: toJson(org, m), text: `${m.email} is now ${m.role} of ${org.slug}` };
  },
});

const remove = defineCommand({
  name: 'member:remove',
  summary: 'Remove a user from an organization',
  options: {
    org: { value: 'SLUG', description: 'organization slug', required: true },
    email: { value: 'EMAIL', description: 'email address of the user', required: true },
  },
  async run({ app, principal }, { org: slug, email }) {
    const { org, user, role } = await resolveMember(app, slug, email);
    if (!role) throw notFound(`Membership of ${user.email} in ${org.slug}`);
    const m = await app.get(MembersService).remove(principal, org.slug, user.id);
    return {
      json: toJson(org, m),
      text: `Removed ${m.email} (${m.role}) from ${org.slug}`,
    };
  },
});

export const memberCommands: CliCommandGroup = {
  modules: [UsersModule, MembersModule],
  commands: [add, remove],
};

import { CliCommandGroup, CommandOutput, defineCommand } from 'src/cli/cli-command';
import { MembershipDto } from 'src/users/dto/user.dto';
import { ORGANIZATION_ROLES } from 'src/users/membership.entity';
import { MembershipsService } from 'src/users/memberships.service';
import { UsersModule } from 'src/users/users.module';

const toJson = (m: MembershipDto): CommandOutput['json'] => ({
  organizationId: m.organizationId,
  organization: m.organizationSlug,
  userId: m.userId,
  email: m.email,
  role: m.role,
});

const add = defineCommand({
  name: 'member:add',
  summary: 'Add a user to an organization, or change their role there',
  options: {
    org: { value: 'SLUG', description: 'organization slug', required: true },
    email: { value: 'EMAIL', description: 'email address of the user', required: true },
    role: { value: 'ROLE', description: ORGANIZATION_ROLES.join(' | '), required: true },
  },
  async run({ app, principal }, { org, email, role }) {
    const m = await app
      .get(MembershipsService)
      .add(principal, { organizationSlug: org, email, role });
    return { json: toJson(m), text: `${m.email} is now ${m.role} of ${m.organizationSlug}` };
  },
});

const remove = defineCommand({
  name: 'member:remove',
  summary: 'Remove a user from an organization',
  options: {
    org: { value: 'SLUG', description: 'organization slug', required: true },
    email: { value: 'EMAIL', description: 'email address of the user', required: true },
  },
  async run({ app, principal }, { org, email }) {
    const m = await app.get(MembershipsService).remove(principal, { organizationSlug: org, email });
    return {
      json: toJson(m),
      text: `Removed ${m.email} (${m.role}) from ${m.organizationSlug}`,
    };
  },
});

export const memberCommands: CliCommandGroup = {
  modules: [UsersModule],
  commands: [add, remove],
};

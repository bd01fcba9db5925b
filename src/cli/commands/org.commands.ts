import { CliCommandGroup, defineCommand } from 'src/cli/cli-command';
import { OrganizationsService } from 'src/users/organizations.service';
import { UsersModule } from 'src/users/users.module';

const create = defineCommand({
  name: 'org:create',
  summary: 'Create an organization',
  options: {
    name: { value: 'NAME', description: 'display name', required: true },
    slug: {
      value: 'SLUG',
      description: 'URL name; defaults to the name in lower-case-with-hyphens',
    },
  },
  async run({ app, principal }, { name, slug }) {
    const org = await app.get(OrganizationsService).create(principal, { name, slug });
    return {
      json: { id: org.id, name: org.name, slug: org.slug },
      text: `Created organization ${org.name} (slug ${org.slug}), id ${org.id}`,
    };
  },
});

export const orgCommands: CliCommandGroup = {
  modules: [UsersModule],
  commands: [create],
};

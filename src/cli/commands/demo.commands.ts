import { CatalogModule } from 'src/catalog/catalog.module';
import { DemoSeedResult, DemoSeedService } from 'src/catalog/demo/demo-seed.service';
import { CliCommandGroup, defineCommand } from 'src/cli/cli-command';

function describeSeed(seed: DemoSeedResult): string {
  if (!seed.created) return 'Demo data is already there: nothing changed';
  const what = `Created demo data: organizations ${seed.organizations.join(', ')}; users ${seed.users.join(', ')}`;
  return seed.generatedPassword
    ? `${what}. Their password (shown once; set DEMO_PASSWORD to choose it): ${seed.generatedPassword}`
    : `${what}. They sign in with DEMO_PASSWORD`;
}

const seed = defineCommand({
  name: 'demo:seed',
  summary:
    'Create the demo organizations, users and catalog (once; DEMO_PASSWORD sets the password)',
  options: {},
  async run({ app, config }) {
    const result = await app.get(DemoSeedService).seed({ password: config.demoPassword });
    return {
      json: {
        created: result.created,
        organizations: result.organizations,
        users: result.users,
        ...(result.generatedPassword ? { password: result.generatedPassword } : {}),
      },
      text: describeSeed(result),
    };
  },
});

export const demoCommands: CliCommandGroup = {
  modules: [CatalogModule],
  commands: [seed],
};

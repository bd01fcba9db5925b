/** What the start-up banner shows. */
export interface BannerFacts {
  url: string;
  mcpUrl: string;
  settingsUrl: string;
  /** Where the data lives, without credentials (describeDatabase). */
  database: string;
  /** Only on the start that created the demo data. */
  demo?: { users: string[]; generatedPassword?: string };
  /** No account exists: nobody can sign in until one is created. */
  noUsers?: boolean;
}

/** The admin CLI as the README writes it. */
const ADMIN = 'npm run admin --';

/** The commands that make the first account (and the organization it signs in to). */
export const FIRST_USER_COMMANDS = `${ADMIN} user:create --email E --password P, then org:create --name N and member:add --org SLUG --email E --role owner (or demo:seed for the demo data)`;

/**
 * The few lines a person reads after `npm start`: where the server, the MCP endpoint and the
 * settings pages are, which database it uses, and on the first start the demo users and their
 * password. The password is shown here once and never goes into a structured log line.
 */
export function startupBanner(facts: BannerFacts): string {
  const row = (label: string, value: string): string => `  ${label.padEnd(10)} ${value}`;
  const lines = [
    'Data Product Catalog is ready',
    row('URL', facts.url),
    row('MCP', facts.mcpUrl),
    row('Settings', facts.settingsUrl),
    row('Database', facts.database),
  ];
  if (facts.demo) {
    const [first] = facts.demo.users;
    lines.push(
      row('Demo users', facts.demo.users.join(', ')),
      facts.demo.generatedPassword
        ? row('Password', `${facts.demo.generatedPassword}  (shown once; DEMO_PASSWORD chooses it)`)
        : row('Password', 'the value of DEMO_PASSWORD'),
      row('Lost it?', `${ADMIN} user:set-password --email ${first ?? 'E'}`),
    );
  }
  if (facts.noUsers) lines.push(row('No users', FIRST_USER_COMMANDS));
  const rule = '─'.repeat(Math.min(100, Math.max(...lines.map((l) => l.length))));
  return ['', rule, ...lines, rule, ''].join('\n');
}

import { startupBanner } from 'src/common/logging/startup-banner';

describe('startupBanner', () => {
  const where = {
    url: 'http://localhost:3000',
    mcpUrl: 'http://localhost:3000/mcp',
    settingsUrl: 'http://localhost:3000/settings',
    database: 'PostgreSQL db.internal:5432/catalog',
  };

  it('should say where the server, MCP, settings and database are, framed by rules', () => {
    const lines = startupBanner(where).split('\n');

    expect(lines.slice(2, 7)).toEqual([
      'Data Product Catalog is ready',
      '  URL        http://localhost:3000',
      '  MCP        http://localhost:3000/mcp',
      '  Settings   http://localhost:3000/settings',
      '  Database   PostgreSQL db.internal:5432/catalog',
    ]);
    expect(lines[1]).toMatch(/^─{30,}$/);
    expect(lines[7]).toBe(lines[1]);
  });

  it('should show the demo users, the generated password and the way back from losing it', () => {
    const text = startupBanner({
      ...where,
      demo: { users: ['alice@acme.example', 'bob@acme.example'], generatedPassword: 'Xy12secret' },
    });

    expect(text).toContain('  Demo users alice@acme.example, bob@acme.example\n');
    expect(text).toContain('  Password   Xy12secret  (shown once; DEMO_PASSWORD chooses it)\n');
    expect(text).toContain(
      '  Lost it?   npm run admin -- user:set-password --email alice@acme.example\n',
    );
  });

  it('should point to DEMO_PASSWORD when the operator chose the password', () => {
    const text = startupBanner({ ...where, demo: { users: ['alice@acme.example'] } });

    expect(text).toContain('  Password   the value of DEMO_PASSWORD\n');
  });

  it('should say how to create the first user when there is none, and nothing about demo data', () => {
    const text = startupBanner({ ...where, noUsers: true });

    expect(text).toMatch(/ {2}No users {3}npm run admin -- user:create --email E --password P/);
    expect(text).not.toMatch(/Demo users|Password/);
  });
});

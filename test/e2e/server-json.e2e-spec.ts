import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { loadAppConfig } from 'src/config/app.config';
import { memberWithKey } from 'test/factories/identity.factory';
import { startTestApp, TestApp } from 'test/support/test-app';

/**
 * server.json at the repository root is what we publish to the MCP Registry. The 2025-12-11 schema
 * (https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json) could not be
 * vendored byte for byte, so this checks the rules of that schema a remote-only entry depends on
 * (ServerDetail: name, description, version; StreamableHttpTransport: type, url; KeyValueInput:
 * name) and, against the running server, that the entry tells the truth.
 */
interface RemoteInput {
  description?: string;
  isRequired?: boolean;
  isSecret?: boolean;
}
interface ServerJson {
  $schema: string;
  name: string;
  title?: string;
  description: string;
  version: string;
  remotes: {
    type: string;
    url: string;
    variables?: Record<string, RemoteInput>;
    headers?: (RemoteInput & { name: string })[];
  }[];
}

const root = join(__dirname, '..', '..');
const serverJson = JSON.parse(readFileSync(join(root, 'server.json'), 'utf8')) as ServerJson;
const packageJson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  version: string;
};
const remote = serverJson.remotes[0];
const apiKeyHeader = remote.headers?.find((h) => h.name.toLowerCase() === 'x-api-key');

/** Replaces the URL template's `{variables}` (server.json: "Variables in {curly_braces}"). */
const expand = (template: string, values: Record<string, string>): string =>
  template.replace(
    /\{([a-zA-Z_][a-zA-Z0-9_]*)\}/g,
    (_, name: string) => values[name] ?? `{${name}}`,
  );

describe('server.json, the MCP Registry entry (e2e)', () => {
  it('should follow the 2025-12-11 server.json schema rules it relies on', () => {
    expect(serverJson.$schema).toBe(
      'https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json',
    );
    expect(serverJson.name).toMatch(/^[a-zA-Z0-9.-]+\/[a-zA-Z0-9._-]+$/);
    expect(serverJson.name.length).toBeGreaterThanOrEqual(3);
    expect(serverJson.name.length).toBeLessThanOrEqual(200);
    expect(serverJson.description.length).toBeGreaterThanOrEqual(1);
    expect(serverJson.description.length).toBeLessThanOrEqual(100);
    expect(serverJson.title?.length ?? 1).toBeLessThanOrEqual(100);
    expect(serverJson.version).not.toMatch(/[\^~<>=*\s]|(^|\.)[xX](\.|$)|^latest$/);
    expect(serverJson.remotes).toHaveLength(1);
    expect(remote.type).toBe('streamable-http');
    expect(remote.url).toMatch(/^https:\/\/\S+$/);
    for (const header of remote.headers ?? []) expect(typeof header.name).toBe('string');
  });

  it('should carry the version of package.json', () => {
    expect(serverJson.version).toBe(packageJson.version);
  });

  it('should declare every URL variable, and expand to the MCP URL of a PUBLIC_URL', () => {
    const used = [...remote.url.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
    expect(used.length).toBeGreaterThan(0);
    for (const name of used) expect(remote.variables?.[name]?.isRequired).toBe(true);
    for (const publicUrl of ['https://catalog.example.com', 'https://example.org/catalog']) {
      const host = publicUrl.replace(/^https:\/\//, '');
      expect(expand(remote.url, { host })).toBe(
        loadAppConfig({ PUBLIC_URL: publicUrl }).mcpResource,
      );
    }
  });

  it('should offer the API key header as an optional secret (OAuth is the default)', () => {
    expect(apiKeyHeader).toMatchObject({ isRequired: false, isSecret: true });
  });

  describe('against the running server', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ SEED_DEMO: 'false' });
    });
    afterAll(async () => {
      await t.close();
    });

    const mcp = (body: object, headers: Record<string, string> = {}) =>
      request(t.url)
        .post('/mcp')
        .set('content-type', 'application/json')
        .set('accept', 'application/json, text/event-stream')
        .set(headers)
        .send({ jsonrpc: '2.0', id: 1, ...body });

    it('should authenticate with the header server.json names, and challenge without it', async () => {
      const { key, user } = await memberWithKey(t.app);
      const whoami = { method: 'tools/call', params: { name: 'whoami', arguments: {} } };
      await mcp(whoami).expect(401);
      const res = await mcp(whoami, { [apiKeyHeader!.name]: key }).expect(200);
      expect(res.body.result.structuredContent.user.email).toBe(user.email);
    });

    it('should report the version server.json publishes', async () => {
      const { key } = await memberWithKey(t.app);
      const res = await mcp(
        {
          method: 'initialize',
          params: {
            protocolVersion: '2025-11-25',
            capabilities: {},
            clientInfo: { name: 'server-json-spec', version: '1.0.0' },
          },
        },
        { [apiKeyHeader!.name]: key },
      ).expect(200);
      expect(res.body.result.serverInfo.version).toBe(serverJson.version);
    });
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildAppConfig } from 'src/config/app.config';
import { ConfigValidationError, validateEnv } from 'src/config/env.validation';
import {
  loadQueryConnections,
  parseQueryConnections,
  sameDatabase,
} from 'src/config/query-connections.config';

describe('QUERY_CONNECTIONS_FILE', () => {
  const sut = (text: string, env: Record<string, unknown> = {}, own?: string) =>
    parseQueryConnections(text, '/etc/catalog/connections.yaml', env, own);
  const failure = (fn: () => unknown): string => {
    try {
      fn();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigValidationError);
      return (err as Error).message;
    }
    throw new Error('expected a ConfigValidationError');
  };

  it('should read a server-name entry and a host/database entry with defaults', () => {
    const connections = sut(
      `connections:
  - server: warehouse
    url: postgresql://catalog_reader:s3cret@localhost:5432/warehouse
    maxConnections: 3
  - host: Orders-DB.acme.example
    database: orders
    port: 5433
    organizations: [acme]
    url: postgresql://reader@10.0.0.7/orders
`,
    );
    expect(connections).toEqual([
      {
        label: 'server warehouse',
        server: 'warehouse',
        url: 'postgresql://catalog_reader:s3cret@localhost:5432/warehouse',
        maxConnections: 3,
        connectTimeoutMs: 5000,
      },
      {
        label: 'orders-db.acme.example/orders',
        host: 'orders-db.acme.example',
        database: 'orders',
        port: 5433,
        organizations: ['acme'],
        url: 'postgresql://reader@10.0.0.7/orders',
        maxConnections: 2,
        connectTimeoutMs: 5000,
      },
    ]);
  });

  it('should read JSON as well', () => {
    expect(
      sut('{"connections":[{"server":"w","url":"postgres://r@db/w"}]}').map((c) => c.label),
    ).toEqual(['server w']);
  });

  it('should resolve ${VAR} references, percent-encoding them inside a URL', () => {
    const [inside, whole] = sut(
      `connections:
  - server: a
    url: "postgresql://reader:\${PASSWORD}@db:5432/a"
  - server: b
    url: "\${B_URL}"
`,
      { PASSWORD: 'p@ss:w/rd', B_URL: 'postgresql://r:x@db/b' },
    );
    expect(inside.url).toBe('postgresql://reader:p%40ss%3Aw%2Frd@db:5432/a');
    expect(new URL(inside.url).password).toBe('p%40ss%3Aw%2Frd');
    expect(whole.url).toBe('postgresql://r:x@db/b');
  });

  it('should name a missing variable, the file and the entry, and never print the URL', () => {
    const message = failure(() =>
      sut(`connections:
  - server: warehouse
    url: "postgresql://reader:\${WAREHOUSE_PASSWORD}@db-host-secret/warehouse"
`),
    );
    expect(message).toBe(
      'Invalid configuration: QUERY_CONNECTIONS_FILE /etc/catalog/connections.yaml: connections[0] (server warehouse): url references the environment variable(s) WAREHOUSE_PASSWORD, which are not set',
    );
    expect(message).not.toContain('db-host-secret');
  });

  it("should refuse the application's own database, also under another loopback name", () => {
    const message = failure(() =>
      sut(
        `connections:
  - server: own
    url: postgresql://reader:pw@localhost/catalog
`,
        {},
        'postgres://app:other@127.0.0.1:5432/catalog',
      ),
    );
    expect(message).toMatch(
      /connections\[0\] \(server own\): url points to the application's own database/,
    );
    expect(message).not.toContain('pw@');
    // Another database on the same server is a different target.
    expect(
      sut(
        'connections: [{server: w, url: "postgresql://r@localhost/warehouse"}]',
        {},
        'postgres://app@127.0.0.1:5432/catalog',
      ),
    ).toHaveLength(1);
  });

  it('should list every problem of every entry', () => {
    const message = failure(() =>
      sut(`connections:
  - server: a
    host: h
    url: mysql://x
  - sever: b
    url: postgres://r@db/b
    maxConnections: 0
  - server: a
    url: postgres://r@db/a
`),
    );
    expect(message).toContain(
      'connections[0] (server a): give either server or host and database, not both',
    );
    expect(message).toContain(
      'connections[0] (server a): url must be a postgres:// or postgresql:// connection URL',
    );
    expect(message).toContain('connections[1] (?/?): unknown field(s) sever');
    expect(message).toContain('connections[1] (?/?): must name a server, or a host and a database');
    expect(message).toContain(
      'connections[1] (?/?): maxConnections must be an integer from 1 to 20',
    );
    expect(message).toContain(
      'connections[2] (server a): serves the same server as connections[0]',
    );
  });

  it('should refuse a file that is not a connections list', () => {
    expect(failure(() => sut('- server: a'))).toContain(
      'expected an object with a "connections" list',
    );
    expect(failure(() => sut('connections: [unclosed'))).toContain('not valid YAML or JSON');
  });

  it('should be read at start-up through QUERY_CONNECTIONS_FILE, with the environment', () => {
    const dir = mkdtempSync(join(tmpdir(), 'query-connections-'));
    try {
      const file = join(dir, 'connections.yaml');
      writeFileSync(file, 'connections: [{server: w, url: "postgresql://r:${PW}@db/w"}]');
      const config = buildAppConfig(validateEnv({ QUERY_CONNECTIONS_FILE: file, PW: 'x' }));
      expect(config.queryConnections.map((c) => c.url)).toEqual(['postgresql://r:x@db/w']);
      expect(buildAppConfig(validateEnv({})).queryConnections).toEqual([]);
      expect(failure(() => loadQueryConnections(join(dir, 'missing.yaml'), {}))).toMatch(
        /missing\.yaml cannot be read \(ENOENT\)/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([
    ['postgres://a@localhost/db', 'postgresql://b@[::1]:5432/db', true],
    ['postgres://a@db.example/db', 'postgres://a@db.example:5433/db', false],
    ['postgres://app@db.example', 'postgres://app@db.example/app', true],
  ])('should compare %s and %s as the same database: %s', (a, b, same) => {
    expect(sameDatabase(a, b)).toBe(same);
  });
});

import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, Server, Socket, connect as tcpConnect } from 'node:net';
import { Client } from 'pg';
import { safeName, withDatabase } from 'test/support/postgres';

/**
 * A real second PostgreSQL database for execute_query tests: schema `npii_v1` with the `orders` of the
 * demo port orders/orders_npii_v1 (150 rows, plus a column the contract does not list), schema `v1`
 * with Globex `payments` (with the restricted `iban_masked`), schema `secret` with a table no port
 * names, and a read-only login role with USAGE and SELECT on `npii_v1` and `v1` only.
 */
export interface Warehouse {
  /** Server URL as the superuser (the database part is replaced). */
  adminUrl: string;
  database: string;
  role: string;
  password: string;
  /** The read-only role's URL on the given port (default: the server's own). */
  readerUrl(port?: number): string;
  /** Runs SQL in the warehouse database as the superuser. */
  admin<T = Record<string, unknown>>(sql: string): Promise<T[]>;
  drop(): Promise<void>;
}

const DEFAULT_SERVER = 'postgresql://postgres@127.0.0.1:5432/postgres';

export function serverUrl(): string {
  return process.env.QUERY_E2E_PG_URL ?? process.env.E2E_PG_SERVER_URL ?? DEFAULT_SERVER;
}

/**
 * Why no PostgreSQL superuser connection answers at {@link serverUrl}, or null when one does (checked
 * synchronously, before Jest collects the tests, so a suite can be skipped with the reason).
 */
export function postgresUnreachable(): string | null {
  const probe = spawnSync(
    process.execPath,
    [
      '-e',
      `const { Client } = require('pg');
       const c = new Client({ connectionString: process.argv[1], connectionTimeoutMillis: 3000 });
       c.connect().then(() => c.end()).then(() => process.exit(0), (e) => { console.error(e.message); process.exit(1); });`,
      serverUrl(),
    ],
    { encoding: 'utf8', timeout: 10_000 },
  );
  if (probe.status === 0) return null;
  const url = new URL(serverUrl());
  return `no PostgreSQL at ${url.hostname}:${url.port || 5432} (${probe.stderr.trim() || 'no answer'}); set QUERY_E2E_PG_URL to a superuser URL`;
}

async function run<T>(url: string, sql: string): Promise<T[]> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

export async function createWarehouse(url = serverUrl()): Promise<Warehouse> {
  const suffix = `${process.pid}_${Date.now().toString(36)}`;
  const database = safeName(`query_wh_${suffix}`);
  const role = safeName(`query_reader_${suffix}`);
  const password = `pw-${randomBytes(12).toString('hex')}`;
  const dbUrl = withDatabase(url, database);
  await run(withDatabase(url, 'postgres'), `CREATE DATABASE ${database}`);
  await run(
    withDatabase(url, 'postgres'),
    `CREATE ROLE ${role} LOGIN PASSWORD '${password}'; ALTER ROLE ${role} SET default_transaction_read_only = on`,
  );
  await run(dbUrl, WAREHOUSE_SQL(role));
  const warehouse: Warehouse = {
    adminUrl: url,
    database,
    role,
    password,
    readerUrl: (port) => {
      const u = new URL(dbUrl);
      u.username = role;
      u.password = password;
      if (port) u.port = String(port);
      return u.toString();
    },
    admin: <T>(sql: string) => run<T>(dbUrl, sql),
    drop: async () => {
      const postgres = withDatabase(url, 'postgres');
      await run(postgres, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await run(postgres, `DROP ROLE IF EXISTS ${role}`);
    },
  };
  return warehouse;
}

const WAREHOUSE_SQL = (role: string): string => `
REVOKE ALL ON SCHEMA public FROM PUBLIC;
CREATE SCHEMA npii_v1;
CREATE TABLE npii_v1.orders (
  order_id text PRIMARY KEY, customer_id text NOT NULL, order_timestamp timestamptz NOT NULL,
  order_status text NOT NULL, item_count integer NOT NULL, order_total numeric(10,2) NOT NULL,
  currency text NOT NULL, sales_channel text NOT NULL, is_first_order boolean NOT NULL,
  internal_margin numeric(10,2) NOT NULL
);
INSERT INTO npii_v1.orders
SELECT 'WH-' || lpad(n::text, 4, '0'), 'C-' || (100 + n % 37),
       timestamptz '2026-01-01 08:00:00+00' + n * interval '7 hours',
       (ARRAY['processing','shipped','delivered','returned','canceled'])[1 + n % 5],
       1 + n % 4, round((19.99 + n * 3.5)::numeric, 2), 'EUR',
       (ARRAY['web','app','store'])[1 + n % 3], n % 7 = 0, 4.2
  FROM generate_series(1, 150) AS n;
CREATE SCHEMA v1;
CREATE TABLE v1.payments (
  payment_id text PRIMARY KEY, booked_at timestamptz NOT NULL, amount numeric(12,2) NOT NULL,
  currency text NOT NULL, counterparty_name text NOT NULL, iban_masked text NOT NULL,
  payment_method text NOT NULL, payment_status text NOT NULL, merchant_category text NOT NULL,
  is_cross_border boolean NOT NULL
);
INSERT INTO v1.payments
SELECT 'PAY-' || n, timestamptz '2026-02-01 00:00:00+00' + n * interval '1 day', 10 * n, 'EUR',
       'Counterparty ' || n, 'DE89 **** **** **** ' || lpad(n::text, 4, '0'), 'card', 'settled',
       'retail', false
  FROM generate_series(1, 5) AS n;
CREATE SCHEMA secret;
CREATE TABLE secret.salaries (name text, salary numeric);
INSERT INTO secret.salaries VALUES ('alice', 123456);
GRANT USAGE ON SCHEMA npii_v1, v1 TO ${role};
GRANT SELECT ON ALL TABLES IN SCHEMA npii_v1, v1 TO ${role};
`;

/**
 * A TCP forwarder to PostgreSQL on a port that can be closed and opened again, to play a database
 * that goes away and comes back.
 */
export class FlakyProxy {
  private server?: Server;
  private readonly sockets = new Set<Socket>();

  constructor(
    readonly port: number,
    private readonly target: { host: string; port: number },
  ) {}

  async open(): Promise<void> {
    const server = createServer((socket) => {
      const upstream = tcpConnect(this.target.port, this.target.host);
      for (const s of [socket, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => undefined);
      }
      socket.pipe(upstream).pipe(socket);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.server = server;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

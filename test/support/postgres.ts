import { Client } from 'pg';

/** The server part of a PostgreSQL URL with another database name. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new Client({
    connectionString: withDatabase(url, 'postgres'),
    connectionTimeoutMillis: 5000,
  });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export const safeName = (name: string): string => {
  if (!/^[a-z0-9_]{1,63}$/.test(name)) throw new Error(`unsafe database name ${name}`);
  return name;
};

export async function createDatabase(
  url: string,
  name: string,
  template?: string,
): Promise<string> {
  await adminQuery(
    url,
    `CREATE DATABASE ${safeName(name)}${template ? ` TEMPLATE ${safeName(template)}` : ''}`,
  );
  return withDatabase(url, name);
}

export async function dropDatabase(url: string, name: string): Promise<void> {
  await adminQuery(url, `DROP DATABASE IF EXISTS ${safeName(name)} WITH (FORCE)`);
}

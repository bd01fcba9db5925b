import type { QueryConnection } from 'src/config/query-connections.config';
import { findConnection, isPostgresPort, portSchema } from 'src/catalog/query/query-connections';

const connection = (c: Partial<QueryConnection>): QueryConnection => ({
  label: c.server ?? `${c.host}/${c.database}`,
  url: 'postgresql://reader@db/x',
  maxConnections: 2,
  connectTimeoutMs: 5000,
  ...c,
});

describe('findConnection', () => {
  const warehouse = connection({ server: 'warehouse' });
  const orders = connection({ host: 'orders-db.acme.example', database: 'orders' });
  const orders5433 = connection({ host: 'orders-db.acme.example', database: 'orders', port: 5433 });
  const globexOnly = connection({ server: 'production', organizations: ['globex'] });
  const sut = (server: Record<string, unknown>, list: QueryConnection[], slug?: string) =>
    findConnection({ server }, list, slug);

  it('should match by the server name', () => {
    expect(sut({ server: 'warehouse', host: 'other' }, [orders, warehouse])).toBe(warehouse);
    expect(sut({ server: 'lake' }, [warehouse])).toBeUndefined();
  });

  it('should match by host (any case) and database, and by port when the entry names one', () => {
    const server = {
      server: 'production',
      host: 'Orders-DB.acme.example',
      database: 'orders',
      port: 5432,
    };
    expect(sut(server, [orders5433, orders])).toBe(orders);
    expect(sut({ ...server, port: 5433 }, [orders5433, orders])).toBe(orders5433);
    expect(
      sut({ host: 'orders-db.acme.example', database: 'orders' }, [orders5433]),
    ).toBeUndefined();
    expect(sut({ ...server, database: 'payments' }, [orders])).toBeUndefined();
  });

  it('should serve only the organizations an entry names', () => {
    expect(sut({ server: 'production' }, [globexOnly], 'acme')).toBeUndefined();
    expect(sut({ server: 'production' }, [globexOnly], undefined)).toBeUndefined();
    expect(sut({ server: 'production' }, [globexOnly], 'globex')).toBe(globexOnly);
  });
});

describe('isPostgresPort and portSchema', () => {
  it('should recognise postgres ports by type or server type', () => {
    expect(isPostgresPort({ type: 'postgres', server: {} })).toBe(true);
    expect(isPostgresPort({ type: 'table', server: { type: 'PostgreSQL' } })).toBe(true);
    expect(isPostgresPort({ type: 'snowflake', server: { type: 'snowflake' } })).toBe(false);
  });

  it("should use the server's schema, else public", () => {
    expect(portSchema({ server: { schema: 'npii_v1' } })).toBe('npii_v1');
    expect(portSchema({ server: {} })).toBe('public');
  });
});

import { MaintenanceService } from 'src/maintenance/maintenance.service';
import { startTestApp, TestApp } from 'test/support/test-app';

describe('scheduled housekeeping (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ SEED_DEMO: 'false' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('should remove dynamic clients without a live grant for 30 days and keep the others', async () => {
    const q = (sql: string, p: unknown[] = []) => t.dataSource.query(sql, p);
    const insert = (clientId: string, createdDaysAgo: number) =>
      q(
        `INSERT INTO oauth_clients (client_id, kind, client_name, redirect_uris, token_endpoint_auth_method, grant_types, response_types, created_at)
         VALUES ($1, 'dynamic', 'x', '["http://127.0.0.1/cb"]', 'none', '["authorization_code"]', '["code"]', now() - ($2 || ' days')::interval)`,
        [clientId, String(createdDaysAgo)],
      );
    await insert('stale-client', 40);
    await insert('fresh-client', 2);
    const removed = await t.app.get(MaintenanceService).run();
    expect(removed.staleClients).toBeGreaterThanOrEqual(1);
    const left = (await q(`SELECT client_id FROM oauth_clients`)).map(
      (r: { client_id: string }) => r.client_id,
    );
    expect(left).toContain('fresh-client');
    expect(left).not.toContain('stale-client');
  });
});

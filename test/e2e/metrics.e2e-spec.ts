import { freePort, startTestApp, TestApp } from 'test/support/test-app';
import { memberWithKey } from 'test/factories/identity.factory';
import { mcpPost, toolCall } from 'test/support/mcp-client';
import { MetricsService } from 'src/metrics/metrics.service';

const TOKEN = 'metrics-token-for-tests-0123456789';

describe('metrics (e2e)', () => {
  let t: TestApp;
  let metricsPort: number;

  beforeAll(async () => {
    metricsPort = await freePort();
    t = await startTestApp({
      SEED_DEMO: 'false',
      METRICS_TOKEN: TOKEN,
      METRICS_PORT: String(metricsPort),
    });
  });
  afterAll(async () => {
    await t.close();
  });

  it('should not serve /metrics without the token', async () => {
    expect((await fetch(`${t.url}/metrics`)).status).toBe(404);
    expect(
      (await fetch(`${t.url}/metrics`, { headers: { authorization: 'Bearer wrong' } })).status,
    ).toBe(404);
  });

  it('should count requests by route and status, auth outcomes and tool calls', async () => {
    const m = await memberWithKey(t.app);
    await mcpPost(t.url, toolCall('whoami'), { 'x-api-key': m.key });
    await mcpPost(t.url, toolCall('whoami'), { 'x-api-key': 'ed_bad' });
    await fetch(`${t.url}/health/live`);
    const res = await fetch(`${t.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toMatch(/http_requests_total\{method="POST",route="\/mcp",status="200"\} [1-9]/);
    expect(text).toMatch(
      /http_requests_total\{method="GET",route="\/health\/live",status="200"\} [1-9]/,
    );
    expect(text).toMatch(/auth_outcomes_total\{method="api_key",outcome="ok"\} [1-9]/);
    expect(text).toMatch(/auth_outcomes_total\{method="api_key",outcome="invalid"\} [1-9]/);
    expect(text).toMatch(/mcp_tool_calls_total\{tool="whoami",outcome="ok"\} [1-9]/);
    expect(text).toMatch(/db_pool_connections\{state="total"\}/);
    expect(text).not.toContain(m.key);
  });

  it('should also serve the metrics on the separate METRICS_PORT', async () => {
    const res = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('http_request_duration_seconds_bucket');
  });
});

describe('metrics nobody can read (e2e)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ SEED_DEMO: 'false' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('should not record per-request HTTP metrics without METRICS_TOKEN or METRICS_PORT', async () => {
    await fetch(`${t.url}/health/live`);
    expect((await fetch(`${t.url}/metrics`)).status).toBe(404);
    const text = await t.app.get(MetricsService).registry.metrics();
    expect(text).toContain('# TYPE http_requests_total counter');
    expect(text).not.toMatch(/^http_requests_total\{/m);
  });
});

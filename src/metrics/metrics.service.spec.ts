import type { DataSource } from 'typeorm';
import { MetricsService } from 'src/metrics/metrics.service';

describe('MetricsService auth outcomes', () => {
  const sut = new MetricsService({ driver: {} } as unknown as DataSource);
  const line = async (method: string, outcome: string): Promise<string | undefined> =>
    (await sut.registry.metrics())
      .split('\n')
      .find((l) => l.startsWith(`auth_outcomes_total{method="${method}",outcome="${outcome}"}`));

  it('should report successes counted on the hot path, once each and cumulatively', async () => {
    sut.authSucceeded('api_key');
    sut.authSucceeded('api_key');
    sut.authSucceeded('oauth');
    expect(await line('api_key', 'ok')).toBe(
      'auth_outcomes_total{method="api_key",outcome="ok"} 2',
    );
    expect(await line('oauth', 'ok')).toBe('auth_outcomes_total{method="oauth",outcome="ok"} 1');
    // A second scrape adds nothing new; a later success adds one.
    expect(await line('api_key', 'ok')).toBe(
      'auth_outcomes_total{method="api_key",outcome="ok"} 2',
    );
    sut.authSucceeded('api_key');
    expect(await line('api_key', 'ok')).toBe(
      'auth_outcomes_total{method="api_key",outcome="ok"} 3',
    );
    expect(await line('none', 'ok')).toBeUndefined();
  });

  it('should keep failures beside them', async () => {
    sut.authOutcomes.inc({ method: 'api_key', outcome: 'invalid' });
    expect(await line('api_key', 'invalid')).toBe(
      'auth_outcomes_total{method="api_key",outcome="invalid"} 1',
    );
    expect(await line('api_key', 'ok')).toBe(
      'auth_outcomes_total{method="api_key",outcome="ok"} 3',
    );
  });
});

describe('MetricsService tool calls', () => {
  const sut = new MetricsService({ driver: {} } as unknown as DataSource);
  const line = async (tool: string, outcome: string): Promise<string | undefined> =>
    (await sut.registry.metrics())
      .split('\n')
      .find((l) => l.startsWith(`mcp_tool_calls_total{tool="${tool}",outcome="${outcome}"}`));

  it('should report tool calls counted on the hot path, cumulatively across scrapes', async () => {
    sut.toolCalled('whoami', 'ok');
    sut.toolCalled('whoami', 'ok');
    sut.toolCalled('fetch', 'error');
    expect(await line('whoami', 'ok')).toBe('mcp_tool_calls_total{tool="whoami",outcome="ok"} 2');
    expect(await line('fetch', 'error')).toBe(
      'mcp_tool_calls_total{tool="fetch",outcome="error"} 1',
    );
    sut.toolCalled('whoami', 'ok');
    expect(await line('whoami', 'ok')).toBe('mcp_tool_calls_total{tool="whoami",outcome="ok"} 3');
    expect(await line('fetch', 'ok')).toBeUndefined();
  });
});

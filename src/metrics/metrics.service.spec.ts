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

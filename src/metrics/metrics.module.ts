import { Global, Inject, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { createServer, Server } from 'node:http';
import { APP_CONFIG, AppConfig } from 'src/config/app.config';
import { MetricsController } from 'src/metrics/metrics.controller';
import { MetricsService } from 'src/metrics/metrics.service';

@Global()
@Module({
  controllers: [MetricsController],
  providers: [MetricsService],
  exports: [MetricsService],
})
export class MetricsModule implements OnModuleInit, OnApplicationShutdown {
  private server: Server | undefined;

  constructor(
    private readonly metrics: MetricsService,
    private readonly adapterHost: HttpAdapterHost,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    // Without METRICS_TOKEN or METRICS_PORT nobody can read the metrics: no per-request work for them.
    const readable = Boolean(this.config.metricsToken || this.config.metricsPort);
    const fastify = readable
      ? this.adapterHost.httpAdapter?.getInstance<FastifyInstance>()
      : undefined;
    // Synchronous: an async hook would cost every request a promise for two counter updates.
    fastify?.addHook('onResponse', (req, reply, done) => {
      const route = req.routeOptions?.url ?? 'unmatched';
      this.metrics.httpRequests.inc({
        method: req.method,
        route,
        status: String(reply.statusCode),
      });
      this.metrics.httpDuration.observe({ method: req.method, route }, reply.elapsedTime / 1000);
      done();
    });
    if (this.config.metricsPort) {
      this.server = createServer((req, res) => {
        if (req.method !== 'GET' || req.url !== '/metrics') {
          res.writeHead(404).end();
          return;
        }
        this.metrics.registry.metrics().then(
          (body) =>
            res.writeHead(200, { 'content-type': this.metrics.registry.contentType }).end(body),
          () => res.writeHead(500).end(),
        );
      });
      this.server.listen(this.config.metricsPort);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await new Promise<void>((resolve) =>
      this.server ? this.server.close(() => resolve()) : resolve(),
    );
  }
}

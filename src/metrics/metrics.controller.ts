import { Controller, Get, Inject, NotFoundException, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from 'src/auth/decorators/authenticated.decorator';
import { safeEqual } from 'src/common/crypto';
import { APP_CONFIG, AppConfig } from 'src/config/app.config';
import { MetricsService } from 'src/metrics/metrics.service';

/**
 * `GET /metrics` on the main port, only with `Authorization: Bearer $METRICS_TOKEN`. Without a token
 * configured it is not served here (use METRICS_PORT for a separate listener).
 */
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: MetricsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @Public()
  async get(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const token = this.config.metricsToken;
    const auth = req.headers.authorization ?? '';
    if (!token || !safeEqual(auth, `Bearer ${token}`)) throw new NotFoundException();
    await reply
      .header('content-type', this.metrics.registry.contentType)
      .header('cache-control', 'no-store')
      .send(await this.metrics.registry.metrics());
  }
}

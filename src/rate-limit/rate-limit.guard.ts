import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import {
  RATE_LIMIT,
  RateLimitMetadata,
  requestClientId,
} from 'src/rate-limit/rate-limit.decorator';
import { RateLimitService } from 'src/rate-limit/rate-limit.service';

/** Applies `@RateLimit` routes' policies before anything else runs. */
@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly limits: RateLimitService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const meta = this.reflector.get<RateLimitMetadata | undefined>(
      RATE_LIMIT,
      context.getHandler(),
    );
    if (!meta) return true;
    const req = context.switchToHttp().getRequest<FastifyRequest>();
    const subject = meta.subject === 'ip' ? req.ip : `${requestClientId(req)}|${req.ip}`;
    await this.limits.consume(meta.policy, subject);
    return true;
  }
}

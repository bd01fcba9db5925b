import { Global, Module, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { FastifyInstance } from 'fastify';
import { AuditEvent } from 'src/audit/audit-event.entity';
import { AuditEventsController } from 'src/audit/audit-events.controller';
import { AuditEventsService } from 'src/audit/audit-events.service';
import { registerAuditRequestHook } from 'src/audit/audit-request.hook';
import { AuditService } from 'src/audit/audit.service';

/**
 * The audit log: AuditService (batched writer) for every module (global, like a logger), the
 * read API, and the hook that gives recorded events the IP and user agent of their request.
 */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([AuditEvent])],
  controllers: [AuditEventsController],
  providers: [AuditService, AuditEventsService],
  exports: [AuditService],
})
export class AuditModule implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    // Absent in the CLI (no HTTP server).
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (fastify && typeof fastify.addHook === 'function') registerAuditRequestHook(fastify);
  }
}

import { Module, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { APP_CONFIG, AppConfig } from 'src/config/app.config';
import { AuthorizationServerController } from 'src/oauth/discovery/authorization-server.controller';
import {
  AUTHORIZATION_SERVER_METADATA_PATH,
  DiscoveryDocuments,
  PROTECTED_RESOURCE_PATHS,
} from 'src/oauth/discovery/discovery.documents';
import { ProtectedResourceController } from 'src/oauth/discovery/protected-resource.controller';
import { registerPublicPreflight } from 'src/oauth/discovery/public-cors';

/** Discovery documents: authorization-server metadata and protected-resource metadata. */
@Module({
  controllers: [ProtectedResourceController, AuthorizationServerController],
  providers: [
    {
      provide: DiscoveryDocuments,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => new DiscoveryDocuments(config),
    },
  ],
  exports: [DiscoveryDocuments],
})
export class DiscoveryDocumentsModule implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly documents: DiscoveryDocuments,
  ) {}

  /** CORS preflight for the documents, answered before routing and authentication. */
  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify) return;
    const inserted = this.documents.pathInserted;
    registerPublicPreflight(
      fastify,
      [
        ...PROTECTED_RESOURCE_PATHS,
        AUTHORIZATION_SERVER_METADATA_PATH,
        ...(inserted ? [inserted.protectedResource, inserted.authorizationServer] : []),
      ],
      'GET, HEAD, OPTIONS',
    );
  }
}

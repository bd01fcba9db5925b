import { Module, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { FastifyInstance } from 'fastify';
import { ClientRegistrationService } from 'src/oauth/clients/client-registration.service';
import { ClientService } from 'src/oauth/clients/client.service';
import { CIMD_FETCHER, CIMD_HOST_RESOLVER, HostResolver } from 'src/oauth/clients/cimd/cimd.types';
import {
  HttpsMetadataFetcher,
  systemResolver,
} from 'src/oauth/clients/cimd/https-metadata.fetcher';
import { MetadataDocumentService } from 'src/oauth/clients/cimd/metadata-document.service';
import { RegisterController } from 'src/oauth/clients/register.controller';
import { registerRegistrationHooks } from 'src/oauth/clients/register-request.hook';
import { OAuthClient } from 'src/oauth/entities';

/** Client registration (RFC 7591), Client ID Metadata Documents and client lookup. */
@Module({
  imports: [TypeOrmModule.forFeature([OAuthClient])],
  controllers: [RegisterController],
  providers: [
    ClientService,
    ClientRegistrationService,
    MetadataDocumentService,
    { provide: CIMD_HOST_RESOLVER, useValue: systemResolver },
    {
      provide: CIMD_FETCHER,
      inject: [CIMD_HOST_RESOLVER],
      // The address policy is fixed here: production always refuses non-public addresses.
      useFactory: (resolve: HostResolver) => new HttpsMetadataFetcher({ resolve }),
    },
  ],
  exports: [ClientService],
})
export class ClientsModule implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  /** Content type, size and JSON checks for POST /register, before Nest parses the body. */
  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (fastify) registerRegistrationHooks(fastify);
  }
}

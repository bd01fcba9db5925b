import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from 'src/audit/audit.module';
import { AccessService } from 'src/catalog/access.service';
import { DataContractsService } from 'src/catalog/data-contracts.service';
import { DataProductsService } from 'src/catalog/data-products.service';
import { DemoSeedService } from 'src/catalog/demo/demo-seed.service';
import {
  AccessAgreement,
  Certification,
  DataContract,
  DataContractVersion,
  DataProduct,
  ExampleTable,
  InputPort,
  OutputPort,
  QueryLogEntry,
  Team,
  TeamMember,
} from 'src/catalog/entities';
import {
  DEFAULT_QUERY_ENGINE_OPTIONS,
  QUERY_ENGINE_OPTIONS,
  QueryEngine,
} from 'src/catalog/query/query-engine';
import { PostgresPlatform } from 'src/catalog/query/postgres-platform';
import { QUERY_PLATFORMS } from 'src/catalog/query/query-platform';
import { QueryPlatforms } from 'src/catalog/query/query-platforms';
import { QueryService } from 'src/catalog/query/query.service';
import { SandboxPlatform } from 'src/catalog/query/sandbox-platform';
import { CATALOG_API_CONTROLLERS } from 'src/catalog/api/catalog-api.controllers';
import { CatalogStoreService } from 'src/catalog/store/catalog-store.service';
import { TeamsService } from 'src/catalog/teams.service';
import { UsersModule } from 'src/users/users.module';

@Module({
  imports: [
    // The store records every change in the audit log (global in the server, but not in the CLI).
    AuditModule,
    UsersModule,
    TypeOrmModule.forFeature([
      Team,
      TeamMember,
      Certification,
      DataProduct,
      OutputPort,
      InputPort,
      ExampleTable,
      DataContract,
      DataContractVersion,
      AccessAgreement,
      QueryLogEntry,
    ]),
  ],
  controllers: [...CATALOG_API_CONTROLLERS],
  providers: [
    DemoSeedService,
    { provide: QUERY_ENGINE_OPTIONS, useValue: DEFAULT_QUERY_ENGINE_OPTIONS },
    QueryEngine,
    SandboxPlatform,
    PostgresPlatform,
    // Asked in this order; the sandbox serves every port, so it comes last.
    {
      provide: QUERY_PLATFORMS,
      useFactory: (postgres: PostgresPlatform, sandbox: SandboxPlatform) => [postgres, sandbox],
      inject: [PostgresPlatform, SandboxPlatform],
    },
    QueryPlatforms,
    CatalogStoreService,
    TeamsService,
    DataProductsService,
    DataContractsService,
    AccessService,
    QueryService,
  ],
  exports: [
    CatalogStoreService,
    DemoSeedService,
    TeamsService,
    DataProductsService,
    DataContractsService,
    AccessService,
    QueryService,
  ],
})
export class CatalogModule {}

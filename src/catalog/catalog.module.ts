import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
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
import { QueryService } from 'src/catalog/query/query.service';
import { TeamsService } from 'src/catalog/teams.service';
import { UsersModule } from 'src/users/users.module';

@Module({
  imports: [
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
  providers: [
    DemoSeedService,
    { provide: QUERY_ENGINE_OPTIONS, useValue: DEFAULT_QUERY_ENGINE_OPTIONS },
    QueryEngine,
    TeamsService,
    DataProductsService,
    DataContractsService,
    AccessService,
    QueryService,
  ],
  exports: [
    DemoSeedService,
    TeamsService,
    DataProductsService,
    DataContractsService,
    AccessService,
    QueryService,
  ],
})
export class CatalogModule {}

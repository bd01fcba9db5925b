import { Module } from '@nestjs/common';
import { CatalogModule } from 'src/catalog/catalog.module';
import { CatalogImportController } from 'src/catalog/import/catalog-import.controller';
import { CatalogImportService } from 'src/catalog/import/catalog-import.service';
import { UsersModule } from 'src/users/users.module';

/** The git-ops import and export of the catalog (admin CLI and `POST /api/v1/catalog/import`). */
@Module({
  imports: [CatalogModule, UsersModule],
  controllers: [CatalogImportController],
  providers: [CatalogImportService],
  exports: [CatalogImportService],
})
export class CatalogImportModule {}

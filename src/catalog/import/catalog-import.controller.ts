import { Body, Controller, Headers, HttpCode, Post, Query, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConsumes,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiTags,
  ApiUnsupportedMediaTypeResponse,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Scope } from 'src/auth/scopes';
import { Authenticated } from 'src/auth/decorators/authenticated.decorator';
import { CurrentPrincipal } from 'src/auth/decorators/principal.decorator';
import type { RequestPrincipal } from 'src/auth/principal';
import { MAX_IMPORT_BODY_BYTES, readImportBody } from 'src/catalog/import/catalog-import-body';
import { ImportQueryDto } from 'src/catalog/import/catalog-import.dto';
import {
  IMPORT_BODY_SCHEMA,
  IMPORT_BUNDLE_EXAMPLE,
  IMPORT_PROBLEMS_EXAMPLE,
  IMPORT_REPORT_EXAMPLE,
  IMPORT_REPORT_SCHEMA,
} from 'src/catalog/import/catalog-import.openapi';
import { CatalogImportService } from 'src/catalog/import/catalog-import.service';
import type { ImportReport } from 'src/catalog/store/catalog-store.types';

@ApiTags('catalog')
@Controller('api/v1/catalog/import')
export class CatalogImportController {
  constructor(private readonly imports: CatalogImportService) {}

  @Post()
  @Authenticated({ scope: Scope.Write })
  @HttpCode(200)
  @ApiOperation({
    summary: 'Import a catalog (git-ops, CI)',
    description: `Teams, ODPS data products and ODCS data contracts of the credential's organization, as a JSON bundle, a tar.gz of the catalog folder (application/gzip) or files (multipart/form-data), at most ${MAX_IMPORT_BODY_BYTES / 1024 / 1024} MB. Everything is validated first; then all is applied in one transaction, or nothing. Unchanged documents are not written. Organization owners and admins, organization keys, and team owners and editors for their teams' documents; read-only credentials never.`,
  })
  @ApiConsumes('application/json', 'application/gzip', 'application/x-gzip', 'multipart/form-data')
  @ApiBody({ schema: IMPORT_BODY_SCHEMA, examples: { bundle: { value: IMPORT_BUNDLE_EXAMPLE } } })
  @ApiOkResponse({ schema: IMPORT_REPORT_SCHEMA, example: IMPORT_REPORT_EXAMPLE })
  @ApiBadRequestResponse({
    description:
      'Problems in the documents (the report lists each with file and path); nothing was written',
    schema: IMPORT_REPORT_SCHEMA,
    example: IMPORT_PROBLEMS_EXAMPLE,
  })
  @ApiForbiddenResponse({
    description:
      'A read-only credential (a document the caller may not write is a problem in the 400 report)',
  })
  @ApiPayloadTooLargeResponse({ description: 'The body or the decompressed archive is too large' })
  @ApiUnsupportedMediaTypeResponse({
    description: 'Not application/json, application/gzip or multipart/form-data',
  })
  async import(
    @CurrentPrincipal() principal: RequestPrincipal,
    @Headers('content-type') contentType: string | undefined,
    @Body() body: unknown,
    @Query() query: ImportQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ImportReport> {
    const parsed = await readImportBody(contentType, body);
    const report = await this.imports.import(principal, principal.organizationId, parsed, {
      dryRun: query.dryRun === 'true',
      prune: query.prune === 'true',
    });
    if (!report.ok) void reply.status(400);
    return report;
  }
}

import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Param,
  Put,
  Query,
  Res,
  Type,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiConsumes,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiPreconditionFailedResponse,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Scope } from 'src/auth/scopes';
import { Authenticated } from 'src/auth/decorators/authenticated.decorator';
import { CurrentPrincipal } from 'src/auth/decorators/principal.decorator';
import type { RequestPrincipal } from 'src/auth/principal';
import {
  CONFLICT_EXAMPLE,
  PRECONDITION_EXAMPLE,
  PROBLEMS_EXAMPLE,
} from 'src/catalog/api/catalog-api.examples';
import { negotiated, sendDocument } from 'src/catalog/api/catalog-http';
import { CatalogListQueryDto } from 'src/catalog/api/catalog-list-query.dto';
import type { CatalogKind } from 'src/catalog/documents/catalog-model';
import { CatalogStoreService } from 'src/catalog/store/catalog-store.service';

/** What differs between the three catalog resources. */
export interface CatalogResource {
  kind: CatalogKind;
  /** Path under /api/v1 and operationId prefix. */
  path: string;
  tag: string;
  /** "team", "data product", "data contract". */
  noun: string;
  /** What the body is, for descriptions. */
  format: string;
  example: Record<string, unknown>;
  /** Who may write, for descriptions. */
  writers: string;
  /** Extra words on PUT. */
  putNotes?: string;
  /** What blocks a DELETE. */
  deleteConflicts: string;
}

const MEDIA = ['application/json', 'application/yaml'] as const;
const ERROR_SCHEMA = { type: 'object' as const };

/**
 * The REST controller of one kind of catalog document: list, get, put (create or replace) and
 * delete, in the credential's organization, in JSON or YAML, with ETags (RFC 9110 §8.8.3) and
 * If-Match (RFC 9110 §13.1.1).
 */
export function catalogController(r: CatalogResource): Type<unknown> {
  const docSchema = { type: 'object' as const, additionalProperties: true, example: r.example };
  const id = ApiParam({ name: 'id', description: `The ${r.noun} id, unique in the organization.` });

  @ApiTags(r.tag)
  @Controller(`api/v1/${r.path}`)
  class CatalogApiController {
    constructor(private readonly store: CatalogStoreService) {}

    @Get()
    @Authenticated()
    @ApiOperation({
      operationId: `${r.path}_list`,
      summary: `List ${r.noun}s`,
      description: `The organization's ${r.noun}s (${r.format}) sorted by id, filtered as the MCP tools filter; pages of \`limit\` with \`nextCursor\`. Every member may read.`,
    })
    @ApiProduces(...MEDIA)
    @ApiOkResponse({
      schema: {
        type: 'object',
        properties: { items: { type: 'array', items: docSchema }, nextCursor: { type: 'string' } },
        example: { items: [r.example], nextCursor: 'eyJvIjoyMH0' },
      },
    })
    @ApiBadRequestResponse({ description: 'A bad filter, limit or cursor', schema: ERROR_SCHEMA })
    async list(
      @CurrentPrincipal() principal: RequestPrincipal,
      @Query() query: CatalogListQueryDto,
      @Headers('accept') accept: string | undefined,
      @Res({ passthrough: true }) reply: FastifyReply,
    ): Promise<unknown> {
      const { limit, ...filters } = query;
      const page = await this.store.list(principal, principal.organizationId, r.kind, {
        ...filters,
        ...(limit !== undefined ? { limit: Number(limit) } : {}),
      });
      const body = {
        items: page.items.map((d) => d.body),
        ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
      };
      return negotiated(reply, accept, body);
    }

    @Get(':id')
    @Authenticated()
    @ApiOperation({
      operationId: `${r.path}_get`,
      summary: `Get a ${r.noun}`,
      description: `The ${r.noun} as ${r.format}, with its ETag; \`Accept: application/yaml\` for YAML.`,
    })
    @id
    @ApiProduces(...MEDIA)
    @ApiOkResponse({ schema: docSchema, headers: { ETag: { description: 'Strong entity tag' } } })
    @ApiNotFoundResponse({ description: `No such ${r.noun}`, schema: ERROR_SCHEMA })
    async get(
      @CurrentPrincipal() principal: RequestPrincipal,
      @Param('id') docId: string,
      @Headers('accept') accept: string | undefined,
      @Res({ passthrough: true }) reply: FastifyReply,
    ): Promise<unknown> {
      const doc = await this.store.get(principal, principal.organizationId, r.kind, docId);
      return sendDocument(reply, accept, doc);
    }

    @Put(':id')
    @Authenticated({ scope: Scope.Write })
    @ApiOperation({
      operationId: `${r.path}_put`,
      summary: `Create or replace a ${r.noun}`,
      description: `Idempotent: the body (${r.format}, as JSON or YAML: application/yaml, application/x-yaml or text/yaml) becomes the ${r.noun}; fields we do not use are kept and returned unchanged. 201 when created, 200 when replaced (or identical: nothing is written). With \`If-Match\` the write happens only while the stored ETag is one of those given (\`*\`: it exists). ${r.writers}${r.putNotes ? ` ${r.putNotes}` : ''}`,
    })
    @id
    @ApiHeader({
      name: 'If-Match',
      required: false,
      description: 'ETag(s) of the version you changed, or *',
    })
    @ApiConsumes(...MEDIA)
    @ApiProduces(...MEDIA)
    @ApiBody({ schema: docSchema, examples: { [r.kind]: { value: r.example } } })
    @ApiOkResponse({
      description: 'Replaced (or unchanged)',
      schema: docSchema,
      headers: { ETag: { description: 'Strong entity tag' } },
    })
    @ApiCreatedResponse({
      description: 'Created',
      schema: docSchema,
      headers: { ETag: { description: 'Strong entity tag' } },
    })
    @ApiBadRequestResponse({
      description: 'Every problem of the document, with its JSON path, in details.problems',
      schema: { ...ERROR_SCHEMA, example: PROBLEMS_EXAMPLE },
    })
    @ApiForbiddenResponse({
      description: 'A read-only credential, or no right to write it',
      schema: ERROR_SCHEMA,
    })
    @ApiConflictResponse({
      description: 'The change drops an output port an active access agreement uses',
      schema: { ...ERROR_SCHEMA, example: CONFLICT_EXAMPLE },
    })
    @ApiPreconditionFailedResponse({
      description: 'If-Match does not hold: it changed meanwhile',
      schema: { ...ERROR_SCHEMA, example: PRECONDITION_EXAMPLE },
    })
    async put(
      @CurrentPrincipal() principal: RequestPrincipal,
      @Param('id') docId: string,
      @Body() body: unknown,
      @Headers('if-match') ifMatch: string | undefined,
      @Headers('accept') accept: string | undefined,
      @Res({ passthrough: true }) reply: FastifyReply,
    ): Promise<unknown> {
      const org = principal.organizationId;
      const result = await this.store.put(principal, org, r.kind, docId, body, ifMatch);
      void reply.status(result.created ? 201 : 200);
      return sendDocument(reply, accept, result);
    }

    @Delete(':id')
    @Authenticated({ scope: Scope.Write })
    @HttpCode(204)
    @ApiOperation({
      operationId: `${r.path}_delete`,
      summary: `Delete a ${r.noun}`,
      description: `204 with no body. With \`If-Match\` only while the stored ETag is one of those given. Refused (409, naming what uses it) while ${r.deleteConflicts}. ${r.writers}`,
    })
    @id
    @ApiHeader({
      name: 'If-Match',
      required: false,
      description: 'ETag(s) of the version you mean, or *',
    })
    @ApiNoContentResponse({ description: 'Deleted' })
    @ApiNotFoundResponse({ description: `No such ${r.noun}`, schema: ERROR_SCHEMA })
    @ApiForbiddenResponse({
      description: 'A read-only credential, or no right to delete it',
      schema: ERROR_SCHEMA,
    })
    @ApiConflictResponse({
      description: 'Still in use',
      schema: { ...ERROR_SCHEMA, example: CONFLICT_EXAMPLE },
    })
    @ApiPreconditionFailedResponse({
      description: 'If-Match does not hold: it changed meanwhile',
      schema: { ...ERROR_SCHEMA, example: PRECONDITION_EXAMPLE },
    })
    async remove(
      @CurrentPrincipal() principal: RequestPrincipal,
      @Param('id') docId: string,
      @Headers('if-match') ifMatch: string | undefined,
    ): Promise<void> {
      await this.store.delete(principal, principal.organizationId, r.kind, docId, ifMatch);
    }
  }
  Object.defineProperty(CatalogApiController, 'name', {
    value: `${r.tag.replace(/\W/g, '')}Controller`,
  });
  return CatalogApiController;
}

import { Injectable } from '@nestjs/common';
import {
  ResourceNotFoundError,
  ResourceTemplate,
  type McpServer,
  type ReadResourceResult,
  type ServerContext,
} from '@modelcontextprotocol/server';
import { DomainError, ErrorCode } from 'src/common/errors/domain-error';
import { DataContractsService } from 'src/catalog/data-contracts.service';
import { DataProductsService } from 'src/catalog/data-products.service';
import { callContextOf, noteFailure } from 'src/mcp/mcp-call-context';

/** How many data products `resources/list` names; `search` pages through the rest. */
export const LISTED_PRODUCTS = 100;

const variable = (v: string | string[] | undefined): string =>
  Array.isArray(v) ? (v[0] ?? '') : (v ?? '');

/**
 * The catalog as MCP resources, for clients that let people attach context: every data product as
 * JSON (`dataproduct://{dataProductId}`, what `fetch` returns) and every data contract as ODCS YAML
 * (`datacontract://{dataContractId}`). Read-only, in the credential's organization, like the read tools.
 * An unknown id is the spec's resource-not-found error (-32602 with the URI, MCP 2026-07-28
 * server/resources › Error Handling).
 */
@Injectable()
export class CatalogResources {
  constructor(
    private readonly products: DataProductsService,
    private readonly contracts: DataContractsService,
  ) {}

  register(server: McpServer): void {
    server.registerResource(
      'data-product',
      new ResourceTemplate('dataproduct://{dataProductId}', {
        list: (ctx) => this.listProducts(ctx),
      }),
      {
        title: 'Data product',
        description:
          'A data product of your organization with its ports, inlined data contracts and your access (JSON, as the fetch tool returns it).',
        mimeType: 'application/json',
      },
      (uri, vars, ctx) =>
        this.read(uri, ctx, async (principal) => {
          const p = await this.products.fetch(principal, {
            dataProductId: variable(vars.dataProductId),
          });
          return { mimeType: 'application/json', text: JSON.stringify(p) };
        }),
    );
    server.registerResource(
      'data-contract',
      new ResourceTemplate('datacontract://{dataContractId}', { list: undefined }),
      {
        title: 'Data contract',
        description:
          'A data contract (ODCS v3.1.0 YAML): schema with column types and classifications, roles, SLAs and terms of use.',
        mimeType: 'application/yaml',
      },
      (uri, vars, ctx) =>
        this.read(uri, ctx, async (principal) => {
          const c = await this.contracts.get(principal, {
            dataContractId: variable(vars.dataContractId),
            format: 'yaml',
          });
          return { mimeType: 'application/yaml', text: 'yaml' in c ? c.yaml : '' };
        }),
    );
  }

  private async listProducts(ctx: ServerContext) {
    const call = callContextOf(ctx);
    try {
      const page = await this.products.search(call.principal, {
        query: '*',
        status: '*',
        limit: LISTED_PRODUCTS,
      });
      return {
        resources: page.results.map((p) => ({
          uri: `dataproduct://${p.id}`,
          name: p.id,
          title: p.name,
          description: p.description.purpose ?? undefined,
          mimeType: 'application/json',
        })),
      };
    } catch (err) {
      noteFailure(call, err);
      throw err;
    }
  }

  private async read(
    uri: URL,
    ctx: ServerContext,
    load: (
      principal: ReturnType<typeof callContextOf>['principal'],
    ) => Promise<{ mimeType: string; text: string }>,
  ): Promise<ReadResourceResult> {
    const call = callContextOf(ctx);
    try {
      const { mimeType, text } = await load(call.principal);
      return { contents: [{ uri: uri.href, mimeType, text }] };
    } catch (err) {
      if (err instanceof DomainError && err.code === ErrorCode.NotFound) {
        throw new ResourceNotFoundError(uri.href);
      }
      noteFailure(call, err);
      throw err;
    }
  }
}

import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import type { UserPrincipal } from 'src/auth/principal';
import { Scope } from 'src/auth/scopes';
import { DataProductsService } from 'src/catalog/data-products.service';
import {
  SearchDataProductsInput,
  SearchDataProductsResult,
  searchDataProductsResultSchema,
} from 'src/catalog/dto/data-products.dto';
import { McpTool, ToolResult } from 'src/mcp/tool.decorator';
import { cursorField, defined, limitField } from 'src/mcp/tools/tool-schemas';

@Injectable()
export class SearchTool {
  constructor(private readonly products: DataProductsService) {}

  @McpTool({
    name: 'search',
    title: 'Search data products',
    description:
      'Finds data products in your organization’s catalog by words in their id, name, description, tags or port ids; "*" lists all. Results are sorted by certification (Gold first). Returns ids to pass to fetch.',
    scope: Scope.Read,
    input: z.object({
      query: z
        .string()
        .min(1)
        .max(500)
        .describe('Search words, all must match (case-insensitive); "*" for all.'),
      teamId: z
        .string()
        .max(200)
        .optional()
        .describe('Only products owned by this team (id from teams_list) or its sub-teams.'),
      status: z
        .string()
        .max(20)
        .optional()
        .describe(
          'proposed, draft, active, deprecated or retired; default active; "*" for every status.',
        ),
      tag: z.string().max(100).optional().describe('Only products with this tag.'),
      limit: limitField,
      cursor: cursorField,
    }),
    output: searchDataProductsResultSchema,
  })
  async run(
    principal: UserPrincipal,
    input: Record<string, unknown>,
  ): Promise<ToolResult<SearchDataProductsResult>> {
    const result = await this.products.search(
      principal,
      defined(input) as unknown as SearchDataProductsInput,
    );
    const lines = result.results.map(
      (p) =>
        `${p.id}: ${p.name} [${p.status}${p.certification ? `, ${p.certification.name}` : ''}] owned by ${p.ownerTeam.name}`,
    );
    return {
      structured: result,
      text:
        lines.length > 0
          ? `${lines.length} data product(s):\n${lines.join('\n')}${result.nextCursor ? '\nMore: pass nextCursor.' : ''}`
          : 'No data products match. Try fewer words, "*" or status "*".',
    };
  }
}

import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import type { UserPrincipal } from 'src/auth/principal';
import { Scope } from 'src/auth/scopes';
import { DataProductsService } from 'src/catalog/data-products.service';
import { DataProductDto, dataProductSchema } from 'src/catalog/dto/data-products.dto';
import { McpTool, ToolResult } from 'src/mcp/tool.decorator';
import { dataProductIdField } from 'src/mcp/tools/tool-schemas';

@Injectable()
export class FetchTool {
  constructor(private readonly products: DataProductsService) {}

  @McpTool({
    name: 'fetch',
    title: 'Fetch a data product',
    description:
      'Returns one data product with its description, owner team, certification, input ports and output ports. Each output port shows its server, its inlined data contract and your access to it (lifecycle, whether request_access makes sense, and what to do next).',
    scope: Scope.Read,
    input: z.object({ dataProductId: dataProductIdField }),
    output: dataProductSchema,
  })
  async run(
    principal: UserPrincipal,
    input: { dataProductId: string },
  ): Promise<ToolResult<DataProductDto>> {
    const p = await this.products.fetch(principal, { dataProductId: input.dataProductId });
    const ports = p.outputPorts.map(
      (o) =>
        `- ${o.id} (${o.type}${o.containsPii ? ', PII' : ''}): access ${o.access.lifecycle}. ${o.access.message}`,
    );
    return {
      structured: p,
      text: `${p.id}: ${p.name} [${p.status}] owned by ${p.ownerTeam.name}\nOutput ports:\n${ports.join('\n')}`,
    };
  }
}

import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import type { UserPrincipal } from 'src/auth/principal';
import { Scope } from 'src/auth/scopes';
import { DataContractsService } from 'src/catalog/data-contracts.service';
import {
  GetDataContractResult,
  getDataContractResultSchema,
  SaveDataContractResult,
  saveDataContractResultSchema,
} from 'src/catalog/dto/data-contracts.dto';
import { McpTool, ToolResult } from 'src/mcp/tool.decorator';
import { defined } from 'src/mcp/tools/tool-schemas';

@Injectable()
export class DataContractTools {
  constructor(private readonly contracts: DataContractsService) {}

  @McpTool({
    name: 'datacontract_get',
    title: 'Get a data contract',
    description:
      'Returns a data contract (ODCS v3.1.0: schema with column types and classifications, roles, SLAs, terms) as JSON or YAML, and which output ports implement it.',
    scope: Scope.Read,
    input: z.object({
      dataContractId: z
        .string()
        .min(1)
        .max(200)
        .describe('Contract id, as shown in fetch under dataContract.id.'),
      format: z.enum(['json', 'yaml']).optional().describe('json (default) or yaml.'),
    }),
    output: getDataContractResultSchema,
  })
  async get(
    principal: UserPrincipal,
    input: { dataContractId: string; format?: 'json' | 'yaml' },
  ): Promise<ToolResult<GetDataContractResult>> {
    const result = await this.contracts.get(principal, defined(input));
    const ports = result.implementedBy
      .map((i) => `${i.dataProductId}/${i.outputPortId}`)
      .join(', ');
    const text = 'yaml' in result ? result.yaml : JSON.stringify(result.dataContract, null, 2);
    return {
      structured: result,
      text: `${text}\n\nImplemented by: ${ports || 'no output port'}`,
    };
  }

  @McpTool({
    name: 'datacontract_save',
    title: 'Save a data contract',
    description:
      'Creates or updates a data contract in ODCS v3.1.0 format (apiVersion, kind DataContract, id, version, status, team.name = owner team id, schema with logicalType per property). Every version is kept; saving an existing version with different content is refused — bump the version. Needs the editor or owner role in the owner team.',
    scope: Scope.Write,
    input: z.object({
      dataContract: z
        .record(z.string(), z.unknown())
        .optional()
        .describe('The contract as a JSON object. Give this or yaml, not both.'),
      yaml: z
        .string()
        .max(500_000)
        .optional()
        .describe('The contract as ODCS YAML. Give this or dataContract, not both.'),
    }),
    output: saveDataContractResultSchema,
    annotations: { idempotentHint: true },
  })
  async save(
    principal: UserPrincipal,
    input: Record<string, unknown>,
  ): Promise<ToolResult<SaveDataContractResult>> {
    const result = await this.contracts.save(principal, defined(input));
    return {
      structured: result,
      text: `${result.created ? 'Saved' : 'Unchanged'}: ${result.id} version ${result.version} (${result.status})${result.warnings.length ? `. Warnings: ${result.warnings.join('; ')}` : ''}`,
    };
  }
}

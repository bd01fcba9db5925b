import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import type { UserPrincipal } from 'src/auth/principal';
import { Scope } from 'src/auth/scopes';
import {
  ExecuteQueryInput,
  ExecuteQueryResult,
  executeQueryResultSchema,
} from 'src/catalog/dto/query.dto';
import { QueryService } from 'src/catalog/query/query.service';
import { McpTool, ToolResult } from 'src/mcp/tool.decorator';
import { dataProductIdField, outputPortIdField } from 'src/mcp/tools/tool-schemas';

@Injectable()
export class ExecuteQueryTool {
  constructor(private readonly queries: QueryService) {}

  @McpTool({
    name: 'execute_query',
    title: 'Query an output port',
    description:
      'Runs one read-only SQL SELECT (or WITH … SELECT) over the tables of an output port you have ACTIVE access to (see fetch; otherwise request_access first): on the port’s real database when the operator connected it, else on its example rows (the result’s source says which). Table and column names are in the port’s data contract schema; name tables without a schema. No comments, one statement, at most 100 rows, 2 s limit. The purpose is checked against the contract’s terms of use and logged.',
    scope: Scope.Read,
    input: z.object({
      // Mirrored into Mcp-Param-* headers by 2026-07-28 clients (MCP server/tools › x-mcp-header),
      // so a gateway can route or limit queries per port without reading the body.
      dataProductId: dataProductIdField.meta({ 'x-mcp-header': 'DataProductId' }),
      outputPortId: outputPortIdField.meta({ 'x-mcp-header': 'OutputPortId' }),
      query: z.string().min(1).max(20_000).describe('One SELECT statement over the port’s tables.'),
      purpose: z
        .string()
        .min(10)
        .max(2000)
        .describe('Why you run this query (at least 10 characters).'),
    }),
    output: executeQueryResultSchema,
    annotations: { openWorldHint: false },
  })
  async run(
    principal: UserPrincipal,
    input: ExecuteQueryInput,
  ): Promise<ToolResult<ExecuteQueryResult>> {
    const r = await this.queries.execute(principal, input);
    const header = r.columns.map((c) => c.name).join(' | ');
    const body = r.rows
      .slice(0, 20)
      .map((row) =>
        row
          .map((v) =>
            v === null ? 'NULL' : typeof v === 'object' ? JSON.stringify(v) : String(v as string),
          )
          .join(' | '),
      )
      .join('\n');
    return {
      structured: r,
      text: `${r.rowCount} row(s)${r.truncated ? ' (truncated to 100)' : ''}\n${header}\n${body}${r.rows.length > 20 ? '\n…' : ''}`,
    };
  }
}

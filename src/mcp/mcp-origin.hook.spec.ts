import 'reflect-metadata';
import { MCP_ALLOW_HEADERS } from 'src/mcp/mcp-origin.hook';
import { paramHeadersOfTool } from 'src/mcp/mcp-param-headers';
import { toolDefinitions } from 'test/factories/tool.factory';

describe('MCP CORS headers', () => {
  it('should let browser clients send every Mcp-Param header a tool declares', () => {
    const declared = toolDefinitions().flatMap((d) =>
      paramHeadersOfTool(d).map((h) => `Mcp-Param-${h.name}`),
    );
    expect(declared).toContain('Mcp-Param-DataProductId');
    for (const header of declared) expect(MCP_ALLOW_HEADERS).toContain(header);
  });
});

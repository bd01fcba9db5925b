import { Scope } from 'src/auth/scopes';
import { MCP_TOOL, ToolDefinition } from 'src/mcp/tool.decorator';
import { TOOL_PROVIDERS } from 'src/mcp/tools';

function definitions(): ToolDefinition[] {
  const out: ToolDefinition[] = [];
  for (const cls of TOOL_PROVIDERS) {
    const proto = cls.prototype as unknown as Record<string, unknown>;
    for (const key of Object.getOwnPropertyNames(proto)) {
      const fn = proto[key];
      const d =
        typeof fn === 'function'
          ? (Reflect.getMetadata(MCP_TOOL, fn) as ToolDefinition)
          : undefined;
      if (d) out.push(d);
    }
  }
  return out;
}

describe('MCP tool definitions', () => {
  const sut = definitions();

  it('should define the twelve tools of the catalogue exactly once', () => {
    expect(sut.map((d) => d.name).sort()).toEqual(
      [
        'access_approve',
        'access_cancel',
        'access_list',
        'access_reject',
        'datacontract_get',
        'datacontract_save',
        'execute_query',
        'fetch',
        'request_access',
        'search',
        'teams_list',
        'whoami',
      ].sort(),
    );
  });

  it('should give every tool a read or write scope', () => {
    for (const d of sut) expect([Scope.Read, Scope.Write]).toContain(d.scope);
  });

  it('should mark exactly the state-changing tools as write tools', () => {
    const write = sut
      .filter((d) => d.scope === Scope.Write)
      .map((d) => d.name)
      .sort();
    expect(write).toEqual([
      'access_approve',
      'access_cancel',
      'access_reject',
      'datacontract_save',
      'request_access',
    ]);
  });

  it('should never take an organization argument (the organization comes from the credential)', () => {
    for (const d of sut) {
      for (const field of Object.keys(d.input))
        expect(field).not.toMatch(/organi[sz]ation|tenant|^org/i);
    }
  });

  it('should describe every input field for a language model', () => {
    for (const d of sut) {
      for (const [field, schema] of Object.entries(d.input)) {
        expect({
          tool: d.name,
          field,
          description: (schema as { description?: string }).description,
        }).toEqual(expect.objectContaining({ description: expect.stringMatching(/\w{3,}/) }));
      }
    }
  });
});

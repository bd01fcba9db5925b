import { Scope } from 'src/auth/scopes';
import { JsonSchema, jsonSchemaOf } from 'src/mcp/tool-json-schema';
import { TOOL_ORDER } from 'src/mcp/tool-registry.service';
import { toolDefinitions } from 'test/factories/tool.factory';

interface Node {
  path: string;
  schema: Record<string, unknown>;
}

/** Every sub-schema of a JSON Schema with its path (`a.b[]` for array items, `|n` for branches). */
function nodes(schema: JsonSchema, path = ''): Node[] {
  const s = schema as Record<string, unknown>;
  const out: Node[] = [{ path, schema: s }];
  const props = (s.properties ?? {}) as Record<string, JsonSchema>;
  for (const [key, sub] of Object.entries(props))
    out.push(...nodes(sub, path ? `${path}.${key}` : key));
  if (s.items && typeof s.items === 'object')
    out.push(...nodes(s.items as JsonSchema, `${path}[]`));
  ((s.anyOf ?? []) as JsonSchema[]).forEach((sub, i) => out.push(...nodes(sub, `${path}|${i}`)));
  return out;
}

/** Paths of properties (not the root, array items or union branches). */
const propertyNodes = (schema: JsonSchema): Node[] =>
  nodes(schema).filter((n) => n.path !== '' && !/(\[\]|\|\d+)$/.test(n.path));

const isObject = (n: Node): boolean =>
  n.schema.type === 'object' || (Array.isArray(n.schema.type) && n.schema.type.includes('object'));

/** Where the output may hold properties it does not name: ODCS documents and port servers. */
const OPEN_OUTPUT: Record<string, RegExp> = {
  fetch: /^outputPorts\[\]\.(server|dataContract)\b/,
  datacontract_get: /^dataContract\b/,
};

describe('MCP tool definitions', () => {
  const sut = toolDefinitions();

  it('should define the twelve tools of the catalogue exactly once, each placed in TOOL_ORDER', () => {
    const names = sut.map((d) => d.name);
    expect(new Set(names).size).toBe(12);
    expect(names.sort()).toEqual([...TOOL_ORDER].sort());
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
      for (const field of Object.keys(d.input.shape))
        expect(field).not.toMatch(/organi[sz]ation|tenant|^org/i);
    }
  });

  /** Fields (at every depth) without a description a language model can use. */
  const undescribed = (io: 'input' | 'output'): string[] =>
    sut.flatMap((d) =>
      propertyNodes(jsonSchemaOf(d[io], io))
        .filter(
          (n) => typeof n.schema.description !== 'string' || !/\w{3,}/.test(n.schema.description),
        )
        .map((n) => `${d.name}:${n.path}`),
    );

  it('should describe every input field for a language model', () => {
    expect(undescribed('input')).toEqual([]);
  });

  it('should advertise an object output schema for every tool', () => {
    for (const d of sut) {
      expect({ tool: d.name, type: jsonSchemaOf(d.output, 'output').type }).toEqual({
        tool: d.name,
        type: 'object',
      });
    }
  });

  it('should describe every output field, at every depth, for a language model', () => {
    expect(undescribed('output')).toEqual([]);
  });

  it('should close every output object except ODCS documents and port servers', () => {
    const open = sut.flatMap((d) =>
      nodes(jsonSchemaOf(d.output, 'output'))
        .filter((n) => isObject(n) && n.schema.additionalProperties !== false)
        .map((n) => `${d.name}:${n.path}`),
    );
    const allowed = (entry: string): boolean => {
      const [tool, path] = entry.split(':');
      return OPEN_OUTPUT[tool]?.test(path) ?? false;
    };
    expect(open.filter((e) => !allowed(e))).toEqual([]);
    expect(open).toEqual(
      expect.arrayContaining([
        'fetch:outputPorts[].server',
        'fetch:outputPorts[].dataContract|0',
        'datacontract_get:dataContract',
      ]),
    );
  });
});

import type { IncomingHttpHeaders } from 'node:http';
import { isObject } from 'src/mcp/json-rpc';
import {
  decodeHeaderValue,
  header,
  headerMismatch,
  trimOws,
  type HeaderMismatch,
} from 'src/mcp/mcp-route';
import type { ToolDefinition } from 'src/mcp/tool.decorator';
import { jsonSchemaOf } from 'src/mcp/tool-json-schema';

/** A tool argument mirrored into an `Mcp-Param-{name}` header (MCP 2026-07-28 server/tools › x-mcp-header). */
export interface ParamHeader {
  /** The chain of `properties` keys from the input schema's root to the argument. */
  path: readonly string[];
  /** The header is `Mcp-Param-{name}`. */
  name: string;
  type: 'string' | 'integer' | 'boolean';
}

const PRIMITIVES = new Set(['string', 'integer', 'boolean']);

/**
 * The `x-mcp-header` declarations of a tool's input JSON Schema, reached through `properties` only.
 * Our schemas are ours, so a declaration the spec does not allow is a programming error: it throws at
 * start-up rather than producing a tool that conforming clients would drop.
 */
export function paramHeadersOf(inputSchema: Readonly<Record<string, unknown>>): ParamHeader[] {
  const out: ParamHeader[] = [];
  const seen = new Set<string>();
  const visit = (node: unknown, path: string[]): void => {
    if (!isObject(node)) return;
    const name = node['x-mcp-header'];
    if (name !== undefined) {
      const type = node.type;
      if (typeof name !== 'string' || !/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name)) {
        throw new Error(`x-mcp-header at ${path.join('.')} is not an RFC 9110 token`);
      }
      if (typeof type !== 'string' || !PRIMITIVES.has(type)) {
        throw new Error(
          `x-mcp-header at ${path.join('.')} must be on a string, integer or boolean`,
        );
      }
      if (seen.has(name.toLowerCase())) throw new Error(`x-mcp-header ${name} is declared twice`);
      seen.add(name.toLowerCase());
      out.push({ path, name, type: type as ParamHeader['type'] });
    }
    if (isObject(node.properties)) {
      for (const [key, child] of Object.entries(node.properties)) visit(child, [...path, key]);
    }
  };
  visit(inputSchema, []);
  return out;
}

function valueAt(root: unknown, path: readonly string[]): unknown {
  let node = root;
  for (const key of path) node = isObject(node) ? node[key] : undefined;
  return node;
}

/**
 * MCP 2026-07-28 streamable-http › Server Behavior for Custom Headers: every declared argument the
 * body carries must arrive in its header, Base64 sentinel decoded, with the same value (integers
 * compared as numbers). A null or absent argument needs no header.
 */
export function paramHeaderMismatch(
  declarations: readonly ParamHeader[],
  args: unknown,
  headers: IncomingHttpHeaders,
): HeaderMismatch | undefined {
  for (const d of declarations) {
    const value = valueAt(args, d.path);
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      continue; // a value of the wrong type is the input schema's to refuse
    }
    const headerName = `Mcp-Param-${d.name}`;
    const bodyValue = String(value);
    const sent = header(headers, headerName.toLowerCase());
    if (sent === undefined) {
      return headerMismatch(
        headerName,
        null,
        bodyValue,
        `the body carries ${d.path.join('.')} but the ${headerName} header is absent`,
      );
    }
    const decoded = decodeHeaderValue(trimOws(sent));
    if (decoded === undefined) {
      return headerMismatch(
        headerName,
        sent,
        bodyValue,
        `the ${headerName} header is not valid Base64-encoded UTF-8`,
      );
    }
    const equal =
      d.type === 'integer' && typeof value === 'number' && /^-?\d+(\.\d+)?$/.test(decoded)
        ? Number(decoded) === value
        : decoded === bodyValue;
    if (!equal) {
      return headerMismatch(
        headerName,
        decoded,
        bodyValue,
        `the ${headerName} header does not match ${d.path.join('.')} in the body`,
      );
    }
  }
  return undefined;
}

const byTool = new WeakMap<ToolDefinition, ParamHeader[]>();

/** The `Mcp-Param-*` headers a tool's advertised input schema declares (computed once per tool). */
export function paramHeadersOfTool(definition: ToolDefinition): ParamHeader[] {
  let found = byTool.get(definition);
  if (!found) {
    found = paramHeadersOf(jsonSchemaOf(definition.input, 'input'));
    byTool.set(definition, found);
  }
  return found;
}

import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as TransportV1 } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  Client as ClientV2,
  StreamableHTTPClientTransport as TransportV2,
  type VersionNegotiationMode,
} from '@modelcontextprotocol/client';
import { OrganizationsService } from 'src/users/organizations.service';
import { DEMO, DemoPerson } from 'test/factories/catalog.factory';
import { demoKey } from 'test/factories/demo.factory';
import { authorizePath, insertClient, pkcePair } from 'test/factories/oauth-authorize.factory';
import { exchangeCode } from 'test/factories/oauth-http';
import { authorizeWithForms } from 'test/support/oauth-browserless';
import { DEMO_PASSWORD, TestApp } from 'test/support/test-app';

/**
 * The real MCP clients people use, one name each: `@modelcontextprotocol/sdk` 1.x (2025 era only)
 * and `@modelcontextprotocol/client` 2.x in each version-negotiation mode.
 */
export const CLIENT_KINDS = ['sdk 1.x', 'v2 legacy', 'v2 auto', 'v2 pin 2026-07-28'] as const;
export type ClientKind = (typeof CLIENT_KINDS)[number];

/** The era each kind must end up in against this server. */
export const EXPECTED_ERA: Readonly<Record<ClientKind, 'legacy' | 'modern'>> = {
  'sdk 1.x': 'legacy',
  'v2 legacy': 'legacy',
  'v2 auto': 'modern',
  'v2 pin 2026-07-28': 'modern',
};

const V2_MODE: Readonly<Record<Exclude<ClientKind, 'sdk 1.x'>, VersionNegotiationMode>> = {
  'v2 legacy': 'legacy',
  'v2 auto': 'auto',
  'v2 pin 2026-07-28': { pin: '2026-07-28' },
};

/** One HTTP request as the client sent it. */
export interface WireRequest {
  method: string;
  headers: Headers;
  /** The parsed JSON body, if any. */
  body: any;
}

/** A tool result as both SDKs return it (after their own output-schema validation). */
export interface ToolCallResult {
  isError?: boolean;
  content: Array<{ type: string; text?: string }>;
  structuredContent?: unknown;
  _meta?: Record<string, unknown>;
}

/** A tool as `tools/list` describes it, as far as the tests read it. */
export interface ListedTool {
  name: string;
  description?: string;
  inputSchema: { type: 'object' };
  outputSchema?: Record<string, unknown>;
  annotations?: { readOnlyHint?: boolean };
}

/** The calls the tests make, the same for every kind; each SDK validates results as it always does. */
export interface McpTestClient {
  readonly kind: ClientKind;
  /** Every request this client sent, in order. */
  readonly wire: WireRequest[];
  /** 'legacy' (initialize handshake) or 'modern' (2026-07-28); SDK 1.x knows only the first. */
  era(): 'legacy' | 'modern' | undefined;
  /** The tool names of the last `listTools()`. */
  listedTools(): string[];
  listTools(): Promise<{ tools: ListedTool[] }>;
  callTool(name: string, args?: Record<string, unknown>): Promise<ToolCallResult>;
  listResources(): Promise<{ resources: Array<{ uri: string; name: string; mimeType?: string }> }>;
  readResource(
    uri: string,
  ): Promise<{ contents: Array<{ uri: string; mimeType?: string; text?: string }> }>;
  listPrompts(): Promise<{ prompts: Array<{ name: string; arguments?: Array<{ name: string }> }> }>;
  getPrompt(
    name: string,
    args?: Record<string, string>,
  ): Promise<{ messages: Array<{ role: string; content: { type: string; text?: string } }> }>;
  close(): Promise<void>;
}

const hasContent = (result: object): result is ToolCallResult =>
  Array.isArray((result as { content?: unknown }).content);

function recordingFetch(wire: WireRequest[]): typeof fetch {
  return (input, init) => {
    const text = typeof init?.body === 'string' ? init.body : undefined;
    wire.push({
      method: init?.method ?? 'GET',
      headers: new Headers(init?.headers),
      body: text ? JSON.parse(text) : undefined,
    });
    return fetch(input, init);
  };
}

/**
 * Connects a client of `kind` to `${baseUrl}/mcp` with extra headers (`x-api-key`,
 * `authorization`), recording what it sends.
 */
export async function connect(
  kind: ClientKind,
  baseUrl: string,
  headers: Record<string, string>,
): Promise<McpTestClient> {
  const url = new URL(`${baseUrl}/mcp`);
  const wire: WireRequest[] = [];
  const transportOptions = { requestInit: { headers }, fetch: recordingFetch(wire) };
  const info = { name: `e2e ${kind}`, version: '1.0.0' };
  const client =
    kind === 'sdk 1.x'
      ? new ClientV1(info)
      : new ClientV2(info, { versionNegotiation: { mode: V2_MODE[kind] } });
  if (client instanceof ClientV1) await client.connect(new TransportV1(url, transportOptions));
  else await client.connect(new TransportV2(url, transportOptions));
  let listed: string[] = [];
  return {
    kind,
    wire,
    era: () => (client instanceof ClientV1 ? 'legacy' : client.getProtocolEra()),
    listedTools: () => listed,
    listTools: async () => {
      const result = await client.listTools();
      listed = result.tools.map((x) => x.name);
      return result;
    },
    callTool: async (name, args = {}) => {
      const result = await client.callTool({ name, arguments: args });
      // SDK 1.x also types the pre-2024 `{ toolResult }` shape, which this server never sends.
      if (!hasContent(result)) throw new Error(`${name}: a result without content`);
      return result;
    },
    listResources: () => client.listResources(),
    readResource: (uri) => client.readResource({ uri }),
    listPrompts: () => client.listPrompts(),
    getPrompt: (name, args) => client.getPrompt({ name, arguments: args }),
    close: () => client.close(),
  };
}

/** How an MCP client authenticates: a user API key, or an OAuth access token. */
export const CREDENTIALS = ['an API key', 'an OAuth token'] as const;
export type Credential = (typeof CREDENTIALS)[number];

/**
 * The headers a client sends for a demo person (README, Demo data) with a fresh read-write
 * credential: `x-api-key` with a new user key, or `Authorization: Bearer` with an access token from
 * the real authorization-code + PKCE flow (sign-in and consent pages driven as HTML forms).
 */
export async function credentialHeaders(
  t: TestApp,
  credential: Credential,
  who: DemoPerson,
): Promise<Record<string, string>> {
  const [email, slug] = DEMO[who];
  if (credential === 'an API key') return { 'x-api-key': await demoKey(t.app, email, slug) };
  const client = await insertClient(t.dataSource);
  const { verifier, challenge } = pkcePair();
  const organization = (await t.app.get(OrganizationsService).getBySlug(slug)).name;
  const redirect = await authorizeWithForms(
    `${t.url}${authorizePath(client, t.config.mcpResource, { code_challenge: challenge })}`,
    { email, password: DEMO_PASSWORD, organization },
  );
  const code = redirect.searchParams.get('code');
  if (!code) throw new Error(`authorization ended without a code: ${redirect.toString()}`);
  const res = await exchangeCode(
    t.url,
    { ...client, method: 'none' },
    {
      code,
      verifier,
      grantId: '',
      redirectUri: client.redirectUris[0],
      resource: t.config.mcpResource,
      scope: '',
    },
  );
  if (res.status !== 200) throw new Error(`token endpoint answered ${res.status}`);
  return { authorization: `Bearer ${res.body.access_token as string}` };
}

/**
 * One client of `kind` per person, each with a fresh credential of its own and after `tools/list`,
 * as real clients do (the SDKs validate structured content only for tools they have listed).
 */
export async function connectPeople<P extends DemoPerson>(
  t: TestApp,
  kind: ClientKind,
  credential: Credential,
  people: readonly P[],
): Promise<{ as: Record<P, McpTestClient>; headers: Record<P, Record<string, string>> }> {
  const as = {} as Record<P, McpTestClient>;
  const headers = {} as Record<P, Record<string, string>>;
  for (const who of people) {
    headers[who] = await credentialHeaders(t, credential, who);
    as[who] = await connect(kind, t.url, headers[who]);
    await as[who].listTools();
  }
  return { as, headers };
}

/** What the tests of one credential and client kind read once `beforeAll` has run. */
export interface ClientCombination<P extends DemoPerson> {
  credential: Credential;
  kind: ClientKind;
  /** One connected client per person, after `tools/list`. */
  as: Record<P, McpTestClient>;
  /** The credential headers each person's client sends. */
  headers: Record<P, Record<string, string>>;
}

/**
 * One `describe` per credential and client kind: connects `people` in `beforeAll` (see
 * {@link connectPeople}) and closes them in `afterAll`; `tests` declares the tests of one combination.
 */
export function describeEachClient<P extends DemoPerson>(
  app: () => TestApp,
  people: readonly P[],
  tests: (c: ClientCombination<P>) => void,
): void {
  describe.each(CREDENTIALS)('with %s', (credential) => {
    describe.each(CLIENT_KINDS)('%s', (kind) => {
      const c = { credential, kind } as ClientCombination<P>;
      beforeAll(async () => {
        Object.assign(c, await connectPeople(app(), kind, credential, people));
      });
      afterAll(async () => {
        await Promise.all(people.map((who) => c.as?.[who]?.close()));
      });
      tests(c);
    });
  });
}

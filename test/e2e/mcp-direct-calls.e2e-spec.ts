import fc from 'fast-check';
import { demoKey } from 'test/factories/demo.factory';
import { json, mcpPost, toolCall } from 'test/support/mcp-client';
import { MODERN_META, modernPost } from 'test/support/mcp-modern';
import { startTestApp, TestApp } from 'test/support/test-app';
import { McpHttpController } from 'src/mcp/mcp-http.controller';
import { McpServerFactory } from 'src/mcp/mcp-server.factory';
import { ToolRegistry } from 'src/mcp/tool-registry.service';

/**
 * The controller answers plain `tools/call` requests itself (src/mcp/direct-tool-call.ts) instead of
 * through a pooled McpServer of the SDK. Every request here is sent twice, with the direct path on and
 * off, and the two answers (status, content type, JSON body) must be the same; a spy on the pool
 * shows which path ran. Write tools get only arguments that cannot succeed, so the data is the same
 * for both runs.
 */

type Era = 'legacy' | 'modern';
type Who = 'rw' | 'ro';
/** Which path answers: the controller itself, a pooled server, or neither (refused before both). */
type Path = 'direct' | 'sdk' | 'refused';

interface Answer {
  status: number;
  contentType: string | null;
  body: unknown;
}

const NO_ARGS = Symbol('no arguments');
/** An `arguments` value, or NO_ARGS for a call without one. */
type Args = unknown;

/** A `tools/call` of either era; `extra` goes into params, `meta` into params._meta. */
function callBody(
  era: Era,
  id: number | string,
  name: unknown,
  args: Args,
  extra: Record<string, unknown> = {},
  meta?: Record<string, unknown>,
): Record<string, unknown> {
  const params: Record<string, unknown> = { ...extra, name };
  if (args !== NO_ARGS) params.arguments = args;
  if (era === 'modern') params._meta = { ...MODERN_META, ...meta };
  else if (meta) params._meta = meta;
  return { jsonrpc: '2.0', id, method: 'tools/call', params };
}

const WRITE_POISON: Record<string, Record<string, unknown>> = {
  // Each a required (or the only) field with a type the input schema refuses.
  request_access: { purpose: 0 },
  access_approve: { accessId: 0 },
  access_reject: { accessId: 0 },
  access_cancel: { accessId: 0 },
  datacontract_save: { dataContract: 0 },
};

/**
 * Whether the body parser refuses this value (Fastify's default prototype-poisoning protection,
 * before any route): an own `__proto__` key, or a `constructor` object with its own `prototype`.
 */
function poisoned(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const has = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);
  if (has(value, '__proto__')) return true;
  const ctor = (value as Record<string, unknown>).constructor;
  if (
    has(value, 'constructor') &&
    typeof ctor === 'object' &&
    ctor !== null &&
    has(ctor, 'prototype')
  ) {
    return true;
  }
  return Object.values(value).some(poisoned);
}

/** execute_query of a product that does not exist: fails, in either era, before any query runs. */
const QUERY_ARGS = {
  dataProductId: 'no-such-product',
  outputPortId: 'x',
  query: 'select 1',
  purpose: 'for the comparison',
};

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

describe('/mcp answers plain tool calls directly, exactly as the SDK path does (e2e)', () => {
  let t: TestApp;
  let keys: Record<Who, string>;
  let controller: McpHttpController;
  let lend: jest.SpyInstance;
  let productId: string;
  let contractId: string;
  /** Set by the "can fail" check only: changes the direct answer before comparing. */
  let tamper: ((direct: Answer) => void) | undefined;

  beforeAll(async () => {
    t = await startTestApp();
    keys = {
      rw: await demoKey(t.app, 'alice@acme.example', 'acme'),
      ro: await demoKey(t.app, 'carol@acme.example', 'acme', { readOnly: true }),
    };
    controller = t.app.get(McpHttpController);
    lend = jest.spyOn(t.app.get(McpServerFactory).pool, 'lend');
    const search = await json(
      await mcpPost(t.url, toolCall('search', { query: '*' }), { 'x-api-key': keys.rw }),
    );
    productId = search.result.structuredContent.results[0].id;
    const withContract = [];
    for (const p of search.result.structuredContent.results as { id: string }[]) {
      const fetched = await json(
        await mcpPost(t.url, toolCall('fetch', { dataProductId: p.id }), { 'x-api-key': keys.rw }),
      );
      const port = (
        fetched.result.structuredContent.outputPorts as { dataContract: { id: string } | null }[]
      ).find((o) => o.dataContract);
      if (port) withContract.push(port.dataContract!.id);
      if (withContract.length) break;
    }
    contractId = withContract[0];
    expect(productId).toEqual(expect.any(String));
    expect(contractId).toEqual(expect.any(String));
  });
  afterAll(async () => {
    lend.mockRestore();
    await t.close();
  });

  async function send(era: Era, who: Who, body: unknown): Promise<Answer> {
    const headers = { 'x-api-key': keys[who] };
    const res =
      era === 'modern'
        ? await modernPost(t.url, body, headers)
        : await mcpPost(t.url, body, headers);
    const text = await res.text();
    return {
      status: res.status,
      contentType: res.headers.get('content-type'),
      body: text === '' ? '' : JSON.parse(text),
    };
  }

  /** One request with the direct path on, then off; how many pooled servers each run borrowed. */
  async function bothPaths(era: Era, who: Who, body: unknown) {
    try {
      controller.directToolCalls = true;
      lend.mockClear();
      const direct = await send(era, who, body);
      const directLent = lend.mock.calls.length;
      controller.directToolCalls = false;
      lend.mockClear();
      const sdk = await send(era, who, body);
      const sdkLent = lend.mock.calls.length;
      tamper?.(direct);
      return { direct, sdk, directLent, sdkLent };
    } finally {
      controller.directToolCalls = true;
    }
  }

  /** The request beside each answer, so that a failure shows what was sent. */
  async function expectSameAnswers(era: Era, who: Who, body: unknown, path: Path) {
    const { direct, sdk, directLent, sdkLent } = await bothPaths(era, who, body);
    expect({ request: body, ...direct }).toEqual({ request: body, ...sdk });
    expect({ request: body, directLent, sdkLent }).toEqual({
      request: body,
      directLent: path === 'sdk' ? 1 : 0,
      sdkLent: path === 'refused' ? 0 : 1,
    });
    return sdk;
  }

  describe.each<Era>(['legacy', 'modern'])('%s era, fixed requests', (era) => {
    const call = (
      name: unknown,
      args: Args,
      extra?: Record<string, unknown>,
      meta?: Record<string, unknown>,
    ) => callBody(era, 1, name, args, extra, meta);

    it('should answer the read tools with real ids the same on both paths', async () => {
      const cases: [unknown, Args][] = [
        ['whoami', {}],
        ['whoami', NO_ARGS],
        ['search', { query: '*' }],
        ['search', { query: '*', limit: 2 }],
        ['search', { query: '*', status: '*', limit: 100 }],
        ['search', { query: 'orders' }],
        ['search', { query: 'nothing-matches-this-xyz' }],
        ['fetch', { dataProductId: productId }],
        ['datacontract_get', { dataContractId: contractId }],
        ['datacontract_get', { dataContractId: contractId, format: 'yaml' }],
        ['teams_list', {}],
        ['teams_list', NO_ARGS],
        ['access_list', {}],
        ['access_list', { view: 'all', limit: 5 }],
      ];
      for (const [name, args] of cases) {
        const sdk = await expectSameAnswers(era, 'rw', call(name, args), 'direct');
        expect(sdk.status).toBe(200);
        expect((sdk.body as { result: { isError?: boolean } }).result.isError).toBeFalsy();
      }
    });

    it('should answer invalid arguments and unknown ids the same on both paths', async () => {
      const cases: [unknown, Args][] = [
        ['search', {}],
        ['search', { query: 5 }],
        ['search', { query: '' }],
        ['search', { query: '*', limit: 0 }],
        ['search', { query: '*', limit: '2' }],
        ['search', { query: '*', cursor: 'not-a-cursor' }],
        ['fetch', {}],
        ['fetch', NO_ARGS],
        ['fetch', { dataProductId: 'no-such-product' }],
        ['fetch', { dataProductId: ['x'] }],
        ['datacontract_get', { dataContractId: 'no-such-contract' }],
        ['datacontract_get', { dataContractId: contractId, format: 'xml' }],
        ['teams_list', { includeMembers: 'yes' }],
        ['access_list', { view: 'bogus' }],
      ];
      for (const [name, args] of cases) {
        const sdk = await expectSameAnswers(era, 'rw', call(name, args), 'direct');
        const { isError } = (sdk.body as { result: { isError?: boolean } }).result;
        expect({ name, args, isError }).toEqual({ name, args, isError: true });
      }
    });

    it('should answer unknown keys and filters that match nothing the same on both paths', async () => {
      const cases: [unknown, Args][] = [
        ['whoami', { unexpected: true }],
        ['search', { query: '*', unexpected: { nested: [1] } }],
        ['teams_list', { limit: 1000, includeMembers: true }],
        ['access_list', { dataProductId: 'no-such-product' }],
      ];
      for (const [name, args] of cases) {
        await expectSameAnswers(era, 'rw', call(name, args), 'direct');
      }
    });

    it('should answer arguments that are not a JSON object the same (both through the SDK)', async () => {
      for (const args of [[], [{ query: '*' }], '{"query":"*"}', null, 0, true]) {
        await expectSameAnswers(era, 'rw', call('search', args), 'sdk');
        await expectSameAnswers(era, 'rw', call('whoami', args), 'sdk');
      }
    });

    it('should refuse unknown tools, and write tools for a read-only key, the same way', async () => {
      await expectSameAnswers(era, 'rw', call('no_such_tool', {}), 'refused');
      await expectSameAnswers(era, 'rw', call('Search', { query: '*' }), 'refused');
      await expectSameAnswers(
        era,
        'ro',
        call('request_access', {
          dataProductId: productId,
          outputPortId: 'x',
          purpose: 'read-only key',
        }),
        'refused',
      );
      await expectSameAnswers(era, 'ro', call('access_approve', {}), 'refused');
      await expectSameAnswers(era, 'ro', call('whoami', {}), 'direct');
    });

    it('should answer write tools that cannot succeed the same on both paths', async () => {
      const cases: [string, Args][] = [
        [
          'request_access',
          { dataProductId: 'no-such-product', outputPortId: 'x', purpose: 'for the comparison' },
        ],
        ['request_access', { dataProductId: productId, outputPortId: 'x', purpose: 'short' }],
        ['request_access', NO_ARGS],
        ['access_approve', { accessId: '00000000-0000-4000-8000-000000000000' }],
        ['access_approve', { accessId: 'not-a-uuid' }],
        ['access_reject', { accessId: '00000000-0000-4000-8000-000000000000', reason: 'no' }],
        ['access_reject', { accessId: '00000000-0000-4000-8000-000000000000' }],
        ['access_cancel', {}],
        ['access_cancel', { accessId: '00000000-0000-4000-8000-000000000000', endDate: 'soon' }],
        ['datacontract_save', { dataContract: 'text' }],
        ['datacontract_save', { dataContract: { kind: 'Nope' } }],
        ['datacontract_save', { yaml: 'not: [valid' }],
      ];
      for (const [name, args] of cases) {
        const sdk = await expectSameAnswers(era, 'rw', call(name, args), 'direct');
        const { isError } = (sdk.body as { result: { isError?: boolean } }).result;
        expect({ name, args, isError }).toEqual({ name, args, isError: true });
      }
    });

    if (era === 'legacy') {
      it('should leave 2025 calls with _meta or other params keys to the SDK, with the same answers', async () => {
        await expectSameAnswers(era, 'rw', call('whoami', {}, {}, { progressToken: 1 }), 'sdk');
        await expectSameAnswers(era, 'rw', call('search', { query: '*' }, {}, {}), 'sdk');
        await expectSameAnswers(era, 'rw', call('search', { query: '*' }, { extra: 1 }), 'sdk');
        await expectSameAnswers(era, 'rw', call('fetch', {}, { task: { ttl: 1000 } }), 'sdk');
      });

      it('should execute_query directly (no Mcp-Param headers in 2025)', async () => {
        await expectSameAnswers(era, 'rw', call('execute_query', QUERY_ARGS), 'direct');
      });
    } else {
      it('should take progressToken and the log level directly, and foreign _meta through the SDK', async () => {
        await expectSameAnswers(era, 'rw', call('whoami', {}, {}, { progressToken: 1 }), 'direct');
        await expectSameAnswers(
          era,
          'rw',
          call('search', { query: '*' }, {}, { progressToken: 'p-1' }),
          'direct',
        );
        await expectSameAnswers(
          era,
          'rw',
          call('search', { query: '*' }, {}, { 'io.modelcontextprotocol/logLevel': 'debug' }),
          'direct',
        );
        await expectSameAnswers(
          era,
          'rw',
          call('whoami', {}, {}, { 'com.example/trace': 'abc' }),
          'sdk',
        );
        await expectSameAnswers(
          era,
          'rw',
          call('fetch', { dataProductId: productId }, {}, { 'com.example/trace': { a: [1] } }),
          'sdk',
        );
        await expectSameAnswers(era, 'rw', call('search', { query: '*' }, { extra: 1 }), 'sdk');
      });

      it('should refuse execute_query without its Mcp-Param headers the same way', async () => {
        const sdk = await expectSameAnswers(
          era,
          'rw',
          call('execute_query', QUERY_ARGS),
          'refused',
        );
        expect(sdk.status).toBe(400);
      });
    }

    it('can fail: a changed direct answer is told apart', async () => {
      tamper = (direct) => {
        const body = direct.body as { result: Record<string, unknown> };
        body.result = { ...body.result, resultType: 'changed' };
      };
      try {
        await expect(expectSameAnswers(era, 'rw', call('whoami', {}), 'direct')).rejects.toThrow(
          /resultType/,
        );
      } finally {
        tamper = undefined;
      }
      // And a request that the direct path did not take is told apart from one it took.
      await expect(expectSameAnswers(era, 'rw', call('whoami', []), 'direct')).rejects.toThrow(
        /directLent/,
      );
    });
  });

  describe.each<Era>(['legacy', 'modern'])('%s era, generated requests', (era) => {
    it('should answer every generated tool call the same on both paths', async () => {
      const registry = t.app.get(ToolRegistry);
      const tools = registry.all();
      const known = tools.map((x) => x.definition.name);
      const writes = new Set(tools.filter((x) => !x.readOnly).map((x) => x.definition.name));
      expect(Object.keys(WRITE_POISON).sort()).toEqual([...writes].sort());
      const name = fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom(...known) },
        {
          weight: 1,
          arbitrary: fc.constantFrom('no_such_tool', 'WHOAMI', 'search ', 'x'.repeat(150)),
        },
      );
      const args = fc.oneof(
        { weight: 1, arbitrary: fc.constant(NO_ARGS) },
        { weight: 2, arbitrary: fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 5 }) },
        { weight: 1, arbitrary: fc.jsonValue() },
      );
      const extraKey = fc.string().filter((k) => !['name', 'arguments', '_meta'].includes(k));
      const extra = fc.oneof(
        { weight: 3, arbitrary: fc.constant({}) },
        {
          weight: 1,
          arbitrary: fc.dictionary(extraKey, fc.jsonValue(), { minKeys: 1, maxKeys: 2 }),
        },
      );
      const meta =
        era === 'modern'
          ? fc
              .tuple(
                fc.record(
                  {
                    progressToken: fc.oneof(fc.integer(), fc.string()),
                    'io.modelcontextprotocol/logLevel': fc.constantFrom('debug', 'info', 'error'),
                  },
                  { requiredKeys: [] },
                ),
                fc.oneof(
                  { weight: 3, arbitrary: fc.constant(undefined) },
                  { weight: 1, arbitrary: fc.jsonValue() },
                ),
              )
              .map(([own, foreign]): Record<string, unknown> =>
                foreign === undefined ? own : { ...own, 'com.example/foreign': foreign },
              )
          : fc.oneof(
              { weight: 3, arbitrary: fc.constant(undefined) },
              { weight: 1, arbitrary: fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 2 }) },
            );
      const id = fc.oneof(fc.integer({ min: 0, max: 1_000_000 }), fc.string({ minLength: 1 }));
      const who = fc.constantFrom<Who>('rw', 'rw', 'rw', 'ro');
      let directRuns = 0;

      await fc.assert(
        fc.asyncProperty(id, name, args, extra, meta, who, async (i, n, a, x, m, w) => {
          // Write tools: only arguments the input schema refuses (or the SDK refuses outright).
          const safeArgs =
            writes.has(n) && (a === NO_ARGS || isPlainObject(a))
              ? { ...(a === NO_ARGS ? {} : a), ...WRITE_POISON[n] }
              : a;
          const body = callBody(era, i, n, safeArgs, x, m);
          const tool = registry.get(n);
          const refusedBefore =
            poisoned(body) ||
            !tool ||
            (w === 'ro' && writes.has(n)) ||
            // 2026-07-28: execute_query's Mcp-Param-* headers are absent; a string or number in
            // the body where they belong is refused before any server sees the call.
            (era === 'modern' &&
              n === 'execute_query' &&
              isPlainObject(safeArgs) &&
              ['dataProductId', 'outputPortId'].some((k) =>
                ['string', 'number', 'boolean'].includes(typeof safeArgs[k]),
              ));
          const foreign =
            era === 'modern' ? m !== undefined && 'com.example/foreign' in m : m !== undefined;
          const plain =
            (safeArgs === NO_ARGS || isPlainObject(safeArgs)) &&
            Object.keys(x).length === 0 &&
            !foreign;
          const path: Path = refusedBefore ? 'refused' : plain ? 'direct' : 'sdk';
          if (path === 'direct') directRuns++;
          await expectSameAnswers(era, w, body, path);
        }),
        // A failure prints its seed; DIRECT_CALLS_SEED=<seed> replays it.
        {
          numRuns: 40,
          includeErrorInReport: true,
          ...(process.env.DIRECT_CALLS_SEED ? { seed: Number(process.env.DIRECT_CALLS_SEED) } : {}),
        },
      );
      // The generator reaches the direct path often enough to mean something.
      expect(directRuns).toBeGreaterThanOrEqual(5);
    });
  });
});

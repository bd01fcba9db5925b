import fc from 'fast-check';
import { memberWithKey } from 'test/factories/identity.factory';
import { startTestApp, TestApp } from 'test/support/test-app';

/**
 * Hostile input: random, oversized, deeply nested, wrongly typed and wrongly encoded bodies and
 * headers. Promise: never a 5xx, never a hang, the process stays up, memory stays bounded.
 * Fixed seed in CI; `FUZZ_RUNS=2000 FUZZ_SEED=… npm run test:e2e -- test/e2e/fuzz` for a longer run.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20261126);
const RUNS = Number(process.env.FUZZ_RUNS ?? 60);

const jsonish = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string(),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.constantFrom('__proto__', 'constructor', 'prototype', '\u0000', '𝒳', 'ed_' + 'A'.repeat(36)),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(
      fc.oneof(
        fc.string(),
        fc.constantFrom('__proto__', 'constructor', 'jsonrpc', 'method', 'params', 'id'),
      ),
      tie('value'),
      { maxKeys: 5 },
    ),
  ),
})).value;

const rpcShaped = fc.record(
  {
    jsonrpc: fc.oneof(fc.constant('2.0'), jsonish),
    id: fc.oneof(fc.integer(), fc.string(), fc.constant(null), jsonish),
    method: fc.oneof(
      fc.constantFrom(
        'initialize',
        'tools/list',
        'tools/call',
        'ping',
        'notifications/initialized',
        'resources/list',
      ),
      fc.string(),
    ),
    params: fc.oneof(
      jsonish,
      fc.record({
        name: fc.oneof(
          fc.constantFrom('whoami', 'search', 'fetch', 'execute_query', 'request_access'),
          fc.string(),
        ),
        arguments: jsonish,
      }),
    ),
  },
  { requiredKeys: [] },
);

function deep(n: number): string {
  return '['.repeat(n) + ']'.repeat(n);
}

const bodies = fc.oneof(
  jsonish.map((v) => JSON.stringify(v) ?? 'null'),
  rpcShaped.map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 2000 }),
  fc.uint8Array({ maxLength: 2000 }).map((b) => Buffer.from(b).toString('latin1')),
  fc.integer({ min: 1, max: 20000 }).map(deep),
  fc.constantFrom(
    '',
    '{',
    '{"a":',
    '{"__proto__":{"x":1}}',
    '\uFEFF{}',
    '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"whoami","arguments":"x"}}',
  ),
);

const contentTypes = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-16',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  '',
  'application/json\u0000',
);

async function send(url: string, init: RequestInit): Promise<number> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
  await res.arrayBuffer();
  return res.status;
}

describe('hostile input (e2e, fast-check)', () => {
  let t: TestApp;
  let key: string;
  let heapBefore: number;

  beforeAll(async () => {
    t = await startTestApp({
      SEED_DEMO: 'true',
      RATE_LIMITS:
        'auth_failure=100000/1m,register=100000/1m,token=100000/1m,revoke=100000/1m,authorize=100000/1m',
    });
    key = (await memberWithKey(t.app)).key;
    heapBefore = process.memoryUsage().heapUsed;
  });
  afterAll(async () => {
    await t.close();
  });

  it('should never answer /mcp with a 5xx or hang', async () => {
    await fc.assert(
      fc.asyncProperty(
        bodies,
        contentTypes,
        fc.boolean(),
        fc.constantFrom('2025-11-25', '2025-03-26', 'x', ''),
        async (body, ct, withKey, version) => {
          const headers: Record<string, string> = { accept: 'application/json, text/event-stream' };
          if (ct) headers['content-type'] = ct.replace('\u0000', '');
          if (withKey) headers['x-api-key'] = key;
          if (version) headers['mcp-protocol-version'] = version;
          const status = await send(`${t.url}/mcp`, { method: 'POST', headers, body });
          expect(status).toBeLessThan(500);
        },
      ),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('should never answer the admin API with a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        bodies,
        contentTypes,
        fc.constantFrom('POST', 'GET', 'DELETE', 'PATCH'),
        fc.string({ maxLength: 60 }),
        async (body, ct, method, idPart) => {
          const path =
            method === 'DELETE' || method === 'PATCH'
              ? `/api/v1/api-keys/${encodeURIComponent(idPart)}`
              : '/api/v1/api-keys';
          const headers: Record<string, string> = { 'x-api-key': key };
          if (ct) headers['content-type'] = ct.replace('\u0000', '');
          const status = await send(
            `${t.url}${path}${method === 'GET' ? `?scope=${encodeURIComponent(idPart)}` : ''}`,
            {
              method,
              headers,
              body: method === 'GET' ? undefined : body,
            },
          );
          expect(status).toBeLessThan(500);
        },
      ),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('should never answer the OAuth endpoints and forms with a 5xx', async () => {
    const paths = [
      '/register',
      '/oauth2/token',
      '/oauth2/revoke',
      '/token',
      '/oauth2/authorize/login',
      '/oauth2/authorize/consent',
    ];
    await fc.assert(
      fc.asyncProperty(
        bodies,
        contentTypes,
        fc.constantFrom(...paths),
        fc.dictionary(fc.string({ maxLength: 20 }), fc.string({ maxLength: 200 }), { maxKeys: 6 }),
        async (body, ct, path, form) => {
          const headers: Record<string, string> = {};
          if (ct) headers['content-type'] = ct.replace('\u0000', '');
          const useForm = ct === 'application/x-www-form-urlencoded';
          const status = await send(`${t.url}${path}`, {
            method: 'POST',
            headers,
            body: useForm ? new URLSearchParams(form).toString() : body,
          });
          expect(status).toBeLessThan(500);
        },
      ),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('should never answer authorize query strings with a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.tuple(
            fc.constantFrom(
              'response_type',
              'client_id',
              'redirect_uri',
              'code_challenge',
              'code_challenge_method',
              'scope',
              'state',
              'resource',
              'prompt',
              'x',
            ),
            fc.string({ maxLength: 300 }),
          ),
          { maxLength: 10 },
        ),
        async (pairs) => {
          const qs = new URLSearchParams(pairs).toString();
          const status = await send(`${t.url}/oauth2/authorize?${qs}`, { redirect: 'manual' });
          expect(status).toBeLessThan(500);
        },
      ),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('should survive oversized headers and bodies and keep memory bounded', async () => {
    const huge = 'x'.repeat(2 * 1024 * 1024);
    expect(
      await send(`${t.url}/mcp`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': key },
        body: huge,
      }),
    ).toBe(413);
    const bigHeader = await fetch(`${t.url}/mcp`, {
      method: 'POST',
      headers: { 'x-api-key': 'ed_' + 'a'.repeat(60_000) },
    }).then(
      (r) => r.status,
      () => 431,
    );
    expect(bigHeader).toBeLessThan(500);
    expect((await fetch(`${t.url}/health/live`)).status).toBe(200);
    const grown = process.memoryUsage().heapUsed - heapBefore;
    expect(grown).toBeLessThan(300 * 1024 * 1024);
  });
});

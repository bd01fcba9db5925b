import Fastify from 'fastify';
import { Readable } from 'node:stream';
import { onRequestFor, preParsingFor } from 'src/common/scoped-hooks';

describe('scoped hooks', () => {
  async function app() {
    const calls: string[] = [];
    const fastify = Fastify();
    fastify.addHook(
      'onRequest',
      onRequestFor(
        (req) => req.url.startsWith('/scoped'),
        async (req, reply) => {
          calls.push(`onRequest ${req.url}`);
          if (req.url === '/scoped/stop') return reply.status(418).send({ stopped: true });
          if (req.url === '/scoped/fail') throw new Error('hook failed');
        },
      ),
    );
    fastify.addHook(
      'preParsing',
      preParsingFor(
        (req) => req.url === '/scoped/replace',
        async () => Readable.from([Buffer.from('{"b":2}')]), // as long as the body sent
      ),
    );
    fastify.all('/*', async (req) => {
      calls.push(`route ${req.url}`);
      return { body: req.body ?? null };
    });
    const base = await fastify.listen({ port: 0, host: '127.0.0.1' });
    opened.push(fastify);
    // A real socket: Fastify's inject needs an ES-module-only package that Jest cannot load here.
    const send = async (url: string, body?: unknown) => {
      const res = await fetch(`${base}${url}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { statusCode: res.status, json: () => res.json() };
    };
    return { send, calls };
  }

  const opened: Array<{ close: () => Promise<unknown> }> = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((f) => f.close()));
  });

  it('should leave requests the test does not match alone', async () => {
    const { send, calls } = await app();
    const res = await send('/other', { a: 1 });
    expect(await res.json()).toEqual({ body: { a: 1 } });
    expect(calls).toEqual(['route /other']);
  });

  it('should go on after a matching handler that returns, and stop after one that answers', async () => {
    const { send, calls } = await app();
    expect((await send('/scoped/on')).statusCode).toBe(200);
    const stopped = await send('/scoped/stop');
    expect(stopped.statusCode).toBe(418);
    expect(await stopped.json()).toEqual({ stopped: true });
    expect(calls).toEqual(['onRequest /scoped/on', 'route /scoped/on', 'onRequest /scoped/stop']);
  });

  it('should answer a handler failure as an error, without reaching the route', async () => {
    const { send, calls } = await app();
    expect((await send('/scoped/fail')).statusCode).toBe(500);
    expect(calls).toEqual(['onRequest /scoped/fail']);
  });

  it('should parse the payload a matching preParsing handler returns', async () => {
    const { send } = await app();
    const res = await send('/scoped/replace', { a: 1 });
    expect(await res.json()).toEqual({ body: { b: 2 } });
  });
});

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isPublicAddress } from 'src/oauth/clients/cimd/address-policy';
import { HostResolver, MetadataDocumentError } from 'src/oauth/clients/cimd/cimd.types';
import { HttpsMetadataFetcher } from 'src/oauth/clients/cimd/https-metadata.fetcher';

/**
 * The fetcher against a real local https server. Loopback is refused by design, so the tests resolve
 * `cimd.test` to 127.0.0.1 with an injected resolver and, where a request must succeed, allow that
 * one address with an injected policy; the production policy is used everywhere else.
 */
describe('HttpsMetadataFetcher', () => {
  const HOST = 'cimd.test';
  let dir: string;
  let cert: Buffer;
  let server: Server;
  let port: number;
  let requests: string[];
  let handler: (req: IncomingMessage, res: ServerResponse) => void;

  const toLoopback: HostResolver = async () => [{ address: '127.0.0.1', family: 4 }];
  const allowTestServer = (address: string) => address === '127.0.0.1' || isPublicAddress(address);
  const url = (path = '/client.json') => new URL(`https://${HOST}:${port}${path}`);
  const make = (options: Partial<ConstructorParameters<typeof HttpsMetadataFetcher>[0]> = {}) =>
    new HttpsMetadataFetcher({
      resolve: toLoopback,
      addressAllowed: allowTestServer,
      tls: { ca: cert },
      timeoutMs: 1000,
      ...options,
    });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cimd-test-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '2',
        '-subj',
        `/CN=${HOST}`,
        '-addext',
        `subjectAltName=DNS:${HOST}`,
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    cert = readFileSync(join(dir, 'cert.pem'));
    server = createServer({ key: readFileSync(join(dir, 'key.pem')), cert }, (req, res) => {
      requests.push(req.url ?? '');
      handler(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  beforeEach(() => {
    requests = [];
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'max-age=600' });
      res.end('{"client_id":"x"}');
    };
  });

  it('should fetch a document and report its Cache-Control', async () => {
    const doc = await make().fetch(url());
    expect(doc).toEqual({ body: '{"client_id":"x"}', cacheControl: 'max-age=600' });
    expect(requests).toEqual(['/client.json']);
  });

  it('should refuse, without connecting, a host that resolves to loopback under the production policy', async () => {
    const sut = make({ addressAllowed: undefined });
    await expect(sut.fetch(url())).rejects.toThrow(/refused address 127\.0\.0\.1/);
    expect(requests).toEqual([]);
  });

  it.each([
    ['private', '10.0.0.5'],
    ['link-local (cloud metadata)', '169.254.169.254'],
    ['CGNAT', '100.64.1.1'],
    ['IPv6 loopback', '::1'],
    ['IPv6 unique-local', 'fd00::1'],
    ['IPv4-mapped loopback', '::ffff:127.0.0.1'],
  ])('should refuse a host that resolves to a %s address', async (_label, address) => {
    const sut = make({
      addressAllowed: undefined,
      resolve: async () => [{ address, family: address.includes(':') ? 6 : 4 }],
    });
    await expect(sut.fetch(url())).rejects.toThrow(MetadataDocumentError);
    expect(requests).toEqual([]);
  });

  it('should refuse a host when any of its addresses is refused, not just the first', async () => {
    const sut = make({
      addressAllowed: undefined,
      resolve: async () => [
        { address: '93.184.216.34', family: 4 },
        { address: '127.0.0.1', family: 4 },
      ],
    });
    await expect(sut.fetch(url())).rejects.toThrow(/refused address 127\.0\.0\.1/);
    expect(requests).toEqual([]);
  });

  it('should check the address actually connected, not only the one resolved', async () => {
    // Allowed when the name is resolved, refused when the socket connects: as if the answer changed.
    let checks = 0;
    const sut = make({ addressAllowed: (a) => a === '127.0.0.1' && checks++ === 0 });
    await expect(sut.fetch(url())).rejects.toThrow(/refus/);
    expect(checks).toBeGreaterThan(1);
    expect(requests).toEqual([]);
  });

  it('should resolve the name once per fetch, through the injected resolver', async () => {
    const resolve = jest.fn(toLoopback);
    await make({ resolve }).fetch(url());
    expect(resolve).toHaveBeenCalledTimes(1);
    expect(resolve).toHaveBeenCalledWith(HOST);
  });

  it('should refuse an IP-literal URL of a refused address without connecting', async () => {
    const sut = make({ addressAllowed: undefined });
    await expect(sut.fetch(new URL(`https://127.0.0.1:${port}/client.json`))).rejects.toThrow(
      /refusing to connect to 127\.0\.0\.1/,
    );
    await expect(sut.fetch(new URL(`https://[::1]:${port}/client.json`))).rejects.toThrow(
      /refusing to connect to ::1/,
    );
    expect(requests).toEqual([]);
  });

  it('should refuse anything but https', async () => {
    await expect(make().fetch(new URL(`http://${HOST}:${port}/client.json`))).rejects.toThrow(
      /only https/,
    );
  });

  it('should not follow redirects', async () => {
    handler = (req, res) => {
      if (req.url === '/client.json') {
        res.writeHead(302, { location: '/elsewhere.json' });
        res.end();
      } else res.end('{}');
    };
    await expect(make().fetch(url())).rejects.toThrow(/redirect \(302\)/);
    expect(requests).toEqual(['/client.json']);
  });

  it('should refuse a non-200 answer', async () => {
    handler = (_req, res) => {
      res.writeHead(404);
      res.end('{}');
    };
    await expect(make().fetch(url())).rejects.toThrow(/status 404/);
  });

  it('should refuse a document declared larger than 5 KiB', async () => {
    handler = (_req, res) => {
      const body = `{"x":"${'a'.repeat(6 * 1024)}"}`;
      res.writeHead(200, { 'content-length': Buffer.byteLength(body) });
      res.end(body);
    };
    await expect(make().fetch(url())).rejects.toThrow(/larger than 5120 bytes/);
  });

  it('should stop reading a streamed document once it passes 5 KiB', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      // Chunked, no Content-Length; keeps sending well past the limit.
      const chunk = 'a'.repeat(1024);
      let sent = 0;
      const timer = setInterval(() => {
        if (sent++ > 50 || res.destroyed) {
          clearInterval(timer);
          res.end();
        } else res.write(chunk);
      }, 1);
    };
    await expect(make().fetch(url())).rejects.toThrow(/larger than 5120 bytes/);
  });

  it('should accept a document of exactly 5 KiB', async () => {
    const body = `"${'a'.repeat(5 * 1024 - 2)}"`;
    handler = (_req, res) => res.end(body);
    expect((await make().fetch(url())).body).toBe(body);
  });

  it('should give up after its deadline when the server does not answer', async () => {
    handler = () => undefined; // never answers
    const started = Date.now();
    await expect(make({ timeoutMs: 200 }).fetch(url())).rejects.toThrow(/timed out/);
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('should give up after its deadline when the body trickles', async () => {
    handler = (_req, res) => {
      res.writeHead(200);
      res.write('{');
    };
    await expect(make({ timeoutMs: 200 }).fetch(url())).rejects.toThrow(/timed out/);
  });

  it('should refuse a certificate it cannot verify', async () => {
    await expect(make({ tls: {} }).fetch(url())).rejects.toThrow(/certificate/i);
  });

  it('should refuse a name that resolves to nothing', async () => {
    await expect(make({ resolve: async () => [] }).fetch(url())).rejects.toThrow(/no address/);
  });
});

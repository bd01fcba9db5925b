import { lookup as dnsLookup } from 'node:dns/promises';
import { request, RequestOptions } from 'node:https';
import type { IncomingMessage } from 'node:http';
import { isIP, LookupFunction, Socket } from 'node:net';
import { isPublicAddress } from 'src/oauth/clients/cimd/address-policy';
import {
  CIMD_MAX_BYTES,
  CIMD_TIMEOUT_MS,
  FetchedDocument,
  HostResolver,
  MetadataDocumentError,
  MetadataFetcher,
  ResolvedAddress,
} from 'src/oauth/clients/cimd/cimd.types';

/** The system resolver (`/etc/hosts`, then DNS), every address. */
export const systemResolver: HostResolver = async (hostname) =>
  (await dnsLookup(hostname, { all: true, verbatim: true })).map((a) => ({
    address: a.address,
    family: a.family === 6 ? 6 : 4,
  }));

export interface HttpsMetadataFetcherOptions {
  resolve: HostResolver;
  /** Production: {@link isPublicAddress}. Only tests pass anything else (a local test server). */
  addressAllowed?: (address: string) => boolean;
  timeoutMs?: number;
  maxBytes?: number;
  /** Extra TLS options; tests pass the test server's CA. */
  tls?: Pick<RequestOptions, 'ca'>;
}

const fail = (message: string) => new MetadataDocumentError(message);

/**
 * Fetches Client ID Metadata Documents with `node:https`, guarded against SSRF:
 * https only; the host is resolved here and *every* address must be global unicast, and the socket
 * connects to exactly the address that was checked (a custom `lookup`, so a DNS rebind between
 * check and connect changes nothing), checked once more on connect; no redirects (3xx fails); at
 * most 5 KiB (reading stops beyond); one deadline for the whole exchange; no cookies, no credentials,
 * no connection reuse.
 */
export class HttpsMetadataFetcher implements MetadataFetcher {
  private readonly allowed: (address: string) => boolean;
  private readonly timeoutMs: number;
  private readonly maxBytes: number;

  constructor(private readonly options: HttpsMetadataFetcherOptions) {
    this.allowed = options.addressAllowed ?? isPublicAddress;
    this.timeoutMs = options.timeoutMs ?? CIMD_TIMEOUT_MS;
    this.maxBytes = options.maxBytes ?? CIMD_MAX_BYTES;
  }

  fetch(url: URL): Promise<FetchedDocument> {
    if (url.protocol !== 'https:') return Promise.reject(fail('only https is fetched'));
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    // An IP literal is connected to without a lookup: check it here.
    if (isIP(host) && !this.allowed(host))
      return Promise.reject(fail(`refusing to connect to ${host}`));
    return new Promise<FetchedDocument>((resolve, reject) => {
      let settled = false;
      const finish = (err: Error | null, doc?: FetchedDocument) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (err) {
          req.destroy();
          reject(err);
        } else resolve(doc as FetchedDocument);
      };
      const req = request(
        url,
        {
          method: 'GET',
          agent: false,
          lookup: this.guardedLookup(),
          headers: { accept: 'application/json', 'user-agent': 'data-product-catalog-mcp (CIMD)' },
          maxHeaderSize: 16 * 1024,
          ...this.options.tls,
        },
        (res) => this.readResponse(res, finish),
      );
      const timer = setTimeout(() => finish(fail('timed out')), this.timeoutMs);
      req.on('socket', (socket: Socket) => {
        socket.once('connect', () => {
          const remote = socket.remoteAddress;
          if (!remote || !this.allowed(remote))
            finish(fail(`refusing to talk to ${remote ?? 'an unknown address'}`));
        });
      });
      req.on('error', (err) => finish(err));
      req.end();
    });
  }

  private readResponse(
    res: IncomingMessage,
    finish: (err: Error | null, doc?: FetchedDocument) => void,
  ): void {
    const remote = res.socket?.remoteAddress;
    if (!remote || !this.allowed(remote)) return finish(fail('connected to a refused address'));
    const status = res.statusCode ?? 0;
    if (status >= 300 && status < 400) return finish(fail(`redirect (${status}) not followed`));
    if (status !== 200) return finish(fail(`status ${status}`));
    if (Number(res.headers['content-length']) > this.maxBytes)
      return finish(fail(`larger than ${this.maxBytes} bytes`));
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > this.maxBytes) finish(fail(`larger than ${this.maxBytes} bytes`));
      else chunks.push(chunk);
    });
    res.on('end', () =>
      finish(null, {
        body: Buffer.concat(chunks).toString('utf8'),
        cacheControl: res.headers['cache-control'],
      }),
    );
    res.on('error', (err) => finish(err));
  }

  /** A `lookup` for the socket: resolves, refuses unless every address is allowed, connects to one of them. */
  private guardedLookup(): LookupFunction {
    return (hostname, options, callback) => {
      this.options
        .resolve(hostname)
        .then((addresses: ResolvedAddress[]) => {
          if (addresses.length === 0) throw fail(`${hostname} has no address`);
          const refused = addresses.find((a) => !this.allowed(a.address));
          if (refused) throw fail(`${hostname} resolves to the refused address ${refused.address}`);
          const family =
            options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : options.family;
          const usable = family ? addresses.filter((a) => a.family === family) : addresses;
          if (usable.length === 0) throw fail(`${hostname} has no IPv${family} address`);
          if (options.all) callback(null, usable);
          else callback(null, usable[0].address, usable[0].family);
        })
        .catch((err: Error) => callback(err as NodeJS.ErrnoException, '', 0));
    };
  }
}

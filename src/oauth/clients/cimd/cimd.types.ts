/**
 * Client ID Metadata Documents (MCP 2025-11-25 authorization): the network layer is injectable so
 * that tests run without the internet, and so that the address policy cannot be bypassed by
 * configuration.
 */

/** Provider token for the {@link MetadataFetcher}. */
export const CIMD_FETCHER = Symbol('CIMD_FETCHER');
/** Provider token for the {@link HostResolver} the production fetcher resolves names with. */
export const CIMD_HOST_RESOLVER = Symbol('CIMD_HOST_RESOLVER');

/** Documents larger than this are refused (reading stops there). */
export const CIMD_MAX_BYTES = 5 * 1024;
/** Connect, TLS, headers and body together. */
export const CIMD_TIMEOUT_MS = 3000;
/** Without cache headers a document is reused for an hour; never for more than a day. */
export const CIMD_DEFAULT_TTL_SECONDS = 3600;
export const CIMD_MAX_TTL_SECONDS = 24 * 3600;

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a host name to every address it has (like `dns.lookup(…, { all: true })`). */
export type HostResolver = (hostname: string) => Promise<ResolvedAddress[]>;

export interface FetchedDocument {
  /** The body as text (at most CIMD_MAX_BYTES bytes). */
  body: string;
  /** The response's Cache-Control header, if any. */
  cacheControl: string | undefined;
}

/** Fetches a metadata document; rejects on any policy or network failure. */
export interface MetadataFetcher {
  fetch(url: URL): Promise<FetchedDocument>;
}

/** A document that could not be fetched or is not acceptable. Never cached; the client is unknown. */
export class MetadataDocumentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MetadataDocumentError';
  }
}

import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { APP_CONFIG, AppConfig } from 'src/config/app.config';
import { CIMD_FETCHER, MetadataFetcher } from 'src/oauth/clients/cimd/cimd.types';
import {
  cacheLifetimeSeconds,
  MetadataDocumentClient,
  parseMetadataDocument,
} from 'src/oauth/clients/cimd/metadata-document';
import { OAuthClient } from 'src/oauth/entities';

interface FetchedClient {
  document: MetadataDocumentClient;
  ttlSeconds: number;
}

/**
 * Resolves Client ID Metadata Documents to `oauth_clients` rows (kind `metadata_document`): a cached
 * row while `metadata_expires_at` is in the future, else a fresh fetch that is validated and upserted.
 * A failed fetch or an invalid document is "unknown client" (null) and is never cached; database
 * errors propagate (they become 503, never "unknown client").
 */
@Injectable()
export class MetadataDocumentService {
  private readonly logger = new Logger(MetadataDocumentService.name);
  /** Concurrent lookups of one URL share one fetch. */
  private readonly inFlight = new Map<string, Promise<FetchedClient | null>>();

  constructor(
    @InjectRepository(OAuthClient) private readonly clients: Repository<OAuthClient>,
    @Inject(CIMD_FETCHER) private readonly fetcher: MetadataFetcher,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** `url` must satisfy isMetadataDocumentUrl. */
  async resolve(url: string, now: Date = new Date()): Promise<OAuthClient | null> {
    const cached = await this.clients.findOneBy({ clientId: url, kind: 'metadata_document' });
    if (cached?.metadataExpiresAt && cached.metadataExpiresAt.getTime() > now.getTime())
      return cached;
    const fetched = await this.fetchShared(url);
    if (!fetched) return null;
    return this.store(url, fetched.document, new Date(now.getTime() + fetched.ttlSeconds * 1000));
  }

  private fetchShared(url: string): Promise<FetchedClient | null> {
    const pending = this.inFlight.get(url);
    if (pending) return pending;
    const p = this.fetchDocument(url).finally(() => this.inFlight.delete(url));
    this.inFlight.set(url, p);
    return p;
  }

  /** Never throws: any network or document problem is logged and answered with null. */
  private async fetchDocument(url: string): Promise<FetchedClient | null> {
    try {
      const res = await this.fetcher.fetch(new URL(url));
      const document = parseMetadataDocument(url, res.body, this.config.oauth.redirectSchemes);
      return { document, ttlSeconds: cacheLifetimeSeconds(res.cacheControl) };
    } catch (err) {
      this.logger.warn({
        msg: 'client metadata document refused',
        clientId: url,
        reason: err instanceof Error ? err.message : String(err),
      });
      return null;
    }
  }

  /** Insert or refresh the row for this document; a dynamic client is never overwritten. */
  private async store(
    url: string,
    doc: MetadataDocumentClient,
    expiresAt: Date,
  ): Promise<OAuthClient | null> {
    const metadata = {
      client_id: url,
      client_name: doc.clientName,
      redirect_uris: doc.redirectUris,
      grant_types: doc.grantTypes,
      response_types: doc.responseTypes,
      token_endpoint_auth_method: 'none',
      ...(doc.scope ? { scope: doc.scope } : {}),
    };
    const rows: unknown = await this.clients.query(
      `INSERT INTO oauth_clients
         (client_id, kind, client_name, redirect_uris, token_endpoint_auth_method, grant_types,
          response_types, scope, metadata, metadata_expires_at)
       VALUES ($1, 'metadata_document', $2, $3::jsonb, 'none', $4::jsonb, $5::jsonb, $6, $7::jsonb, $8)
       ON CONFLICT (client_id) DO UPDATE SET
         client_name = EXCLUDED.client_name,
         redirect_uris = EXCLUDED.redirect_uris,
         grant_types = EXCLUDED.grant_types,
         response_types = EXCLUDED.response_types,
         scope = EXCLUDED.scope,
         metadata = EXCLUDED.metadata,
         metadata_expires_at = EXCLUDED.metadata_expires_at
       WHERE oauth_clients.kind = 'metadata_document'
       RETURNING id`,
      [
        url,
        doc.clientName,
        JSON.stringify(doc.redirectUris),
        JSON.stringify(doc.grantTypes),
        JSON.stringify(doc.responseTypes),
        doc.scope,
        JSON.stringify(metadata),
        expiresAt,
      ],
    );
    const id = Array.isArray(rows) ? (rows[0] as { id?: string } | undefined)?.id : undefined;
    return id ? this.clients.findOneBy({ id }) : null;
  }
}

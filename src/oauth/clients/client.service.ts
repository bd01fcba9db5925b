import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { TtlCache } from 'src/common/cache/ttl-cache';
import { safeEqual, sha256Hex } from 'src/common/crypto';
import { APP_CONFIG, AppConfig } from 'src/config/app.config';
import { isMetadataDocumentUrl } from 'src/oauth/clients/cimd/metadata-document';
import { MetadataDocumentService } from 'src/oauth/clients/cimd/metadata-document.service';
import { OAuthClient } from 'src/oauth/entities';

/** Dynamic clients without a live grant are deleted this long after their last use (or creation). */
export const STALE_CLIENT_DAYS = 30;

/**
 * Registered clients. `findByClientId` is what the authorize, token and revocation endpoints use: it
 * finds a dynamically registered client, or (for an https client_id) resolves its Client ID Metadata
 * Document.
 *
 * A dynamic client is known only under the issuer it was registered under (RFC 6749 §2.2: client
 * identifiers are unique to the authorization server that issued them; MCP 2026-07-28 › Client
 * Registration › Authorization Server Binding): after PUBLIC_URL changes it is answered exactly like
 * an unknown client, so its application registers again. CIMD clients are portable and never bound.
 */
@Injectable()
export class ClientService implements OnApplicationBootstrap {
  private readonly logger = new Logger(ClientService.name);
  private readonly issuer: string;

  /**
   * Dynamic clients found recently, for AUTH_CACHE_TTL_MS (≤ 5 s): every token request starts with
   * this lookup. A registration never changes afterwards; a client deleted meanwhile has lost its
   * codes, grants and tokens with it (ON DELETE CASCADE), so a stale entry admits nothing.
   * Unknown client_ids are never cached.
   */
  private readonly recent: TtlCache<OAuthClient>;

  constructor(
    @InjectRepository(OAuthClient) private readonly clients: Repository<OAuthClient>,
    private readonly documents: MetadataDocumentService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.recent = new TtlCache(config.authCacheTtlMs);
    this.issuer = config.oauth.issuer;
  }

  /** At start (after the migrations): dynamic clients not bound yet are bound to this issuer. */
  async onApplicationBootstrap(): Promise<void> {
    const bound = await this.bindUnboundClients();
    if (bound > 0) this.logger.log(`bound ${bound} registered client(s) to issuer ${this.issuer}`);
  }

  /**
   * Binds the dynamic clients without an issuer (registered before issuers were stored, or by an
   * instance not upgraded yet) to this server's issuer: the one they were registered under, unless
   * PUBLIC_URL changed in the same upgrade. Idempotent; returns how many rows it bound.
   */
  async bindUnboundClients(): Promise<number> {
    const result = await this.clients
      .createQueryBuilder()
      .update(OAuthClient)
      .set({ issuer: this.issuer })
      .where(`kind = 'dynamic'`)
      .andWhere('issuer IS NULL')
      .execute();
    return result.affected ?? 0;
  }

  /**
   * Null when unknown: no such dynamic client, or a metadata document that cannot be fetched or is
   * invalid (never cached). Infrastructure errors propagate (they become 503, never "unknown client").
   */
  async findByClientId(clientId: string): Promise<OAuthClient | null> {
    if (typeof clientId !== 'string' || clientId.length === 0 || clientId.length > 2000)
      return null;
    if (clientId.startsWith('https://'))
      return isMetadataDocumentUrl(clientId) ? this.documents.resolve(clientId) : null;
    const known = this.recent.get(clientId);
    if (known) return known;
    const client = await this.clients.findOneBy({ clientId, kind: 'dynamic' });
    if (!client || !this.registeredHere(client)) return null;
    this.recent.set(clientId, client);
    return client;
  }

  /** The client an authorization in progress belongs to, by row id; null when (no longer) known. */
  async findByRowId(id: string): Promise<OAuthClient | null> {
    const client = await this.clients.findOneBy({ id });
    return client && this.registeredHere(client) ? client : null;
  }

  /** CIMD clients always; dynamic ones registered under this issuer (NULL: not bound yet). */
  private registeredHere(client: OAuthClient): boolean {
    return client.kind !== 'dynamic' || client.issuer === null || client.issuer === this.issuer;
  }

  /** Constant-time check of a confidential client's secret against its stored SHA-256. */
  async verifySecret(client: OAuthClient, secret: string): Promise<boolean> {
    const row = await this.clients
      .createQueryBuilder('c')
      .addSelect('c.clientSecretHash')
      .where('c.id = :id', { id: client.id })
      .getOne();
    if (!row?.clientSecretHash) return false;
    return safeEqual(row.clientSecretHash, sha256Hex(secret));
  }

  /** Records a use of the client (authorization or token request); keeps it from going stale. */
  async markUsed(client: Pick<OAuthClient, 'id'>, now: Date = new Date()): Promise<void> {
    await this.clients.update({ id: client.id }, { lastUsedAt: now });
  }

  /**
   * Deletes dynamic clients that nobody uses any more (Claude registers anew on every
   * connect): no live grant (one with `revoked_at IS NULL`), no authorization in progress, and last
   * used (or, never used, created) more than 30 days before `now`. Their revoked grants, codes and
   * refresh tokens go with them (ON DELETE CASCADE). Returns how many were deleted.
   */
  async deleteStale(now: Date = new Date()): Promise<number> {
    const cutoff = new Date(now.getTime() - STALE_CLIENT_DAYS * 86_400_000);
    const result = await this.clients
      .createQueryBuilder()
      .delete()
      .from(OAuthClient)
      .where(`kind = 'dynamic'`)
      .andWhere('COALESCE(last_used_at, created_at) < :cutoff', { cutoff })
      .andWhere(
        'NOT EXISTS (SELECT 1 FROM oauth_grants g WHERE g.client_id = oauth_clients.id AND g.revoked_at IS NULL)',
      )
      .andWhere(
        'NOT EXISTS (SELECT 1 FROM oauth_interactions i WHERE i.client_id = oauth_clients.id AND i.expires_at > :now)',
        { now },
      )
      .execute();
    this.recent.clear();
    return result.affected ?? 0;
  }
}

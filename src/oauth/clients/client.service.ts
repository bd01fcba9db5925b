import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { safeEqual, sha256Hex } from 'src/common/crypto';
import { isMetadataDocumentUrl } from 'src/oauth/clients/cimd/metadata-document';
import { MetadataDocumentService } from 'src/oauth/clients/cimd/metadata-document.service';
import { OAuthClient } from 'src/oauth/entities';

/** Dynamic clients without a live grant are deleted this long after their last use (or creation). */
export const STALE_CLIENT_DAYS = 30;

/**
 * Registered clients. `findByClientId` is what the authorize and token endpoints use: it finds a
 * dynamically registered client, or (for an https client_id) resolves its Client ID Metadata Document.
 */
@Injectable()
export class ClientService {
  constructor(
    @InjectRepository(OAuthClient) private readonly clients: Repository<OAuthClient>,
    private readonly documents: MetadataDocumentService,
  ) {}

  /**
   * Null when unknown: no such dynamic client, or a metadata document that cannot be fetched or is
   * invalid (never cached). Infrastructure errors propagate (they become 503, never "unknown client").
   */
  async findByClientId(clientId: string): Promise<OAuthClient | null> {
    if (typeof clientId !== 'string' || clientId.length === 0 || clientId.length > 2000)
      return null;
    if (clientId.startsWith('https://'))
      return isMetadataDocumentUrl(clientId) ? this.documents.resolve(clientId) : null;
    return this.clients.findOneBy({ clientId, kind: 'dynamic' });
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
   * Deletes dynamic clients that nobody uses any more (PROTOCOL §7.1: Claude registers anew on every
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
    return result.affected ?? 0;
  }
}

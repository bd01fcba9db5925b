import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { safeEqual, sha256Hex } from 'src/common/crypto';
import { OAuthClient } from 'src/oauth/entities';

/**
 * Registered clients. `findByClientId` is what the authorize and token endpoints use: it finds a
 * dynamically registered client, or (for an https client_id) resolves its Client ID Metadata Document.
 */
@Injectable()
export class ClientService {
  constructor(@InjectRepository(OAuthClient) private readonly clients: Repository<OAuthClient>) {}

  /** Null when unknown. Infrastructure errors propagate (they become 503, never "unknown client"). */
  async findByClientId(clientId: string): Promise<OAuthClient | null> {
    if (typeof clientId !== 'string' || clientId.length === 0 || clientId.length > 2000)
      return null;
    return this.clients.findOneBy({ clientId });
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
}

import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const TOKEN_ENDPOINT_AUTH_METHODS = [
  'none',
  'client_secret_post',
  'client_secret_basic',
] as const;
export type TokenEndpointAuthMethod = (typeof TOKEN_ENDPOINT_AUTH_METHODS)[number];

/** A registered client: dynamic (RFC 7591) or a cached Client ID Metadata Document. */
@Entity({ name: 'oauth_clients' })
export class OAuthClient {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Server-generated for dynamic clients; the metadata document URL for CIMD clients. */
  @Column({ name: 'client_id', type: 'text', unique: true })
  clientId: string;

  @Column({ name: 'client_secret_hash', type: 'text', nullable: true, select: false })
  clientSecretHash: string | null;

  @Column({ type: 'text' })
  kind: 'dynamic' | 'metadata_document';

  @Column({ name: 'client_name', type: 'text' })
  clientName: string;

  @Column({ name: 'redirect_uris', type: 'jsonb' })
  redirectUris: string[];

  @Column({ name: 'token_endpoint_auth_method', type: 'text' })
  tokenEndpointAuthMethod: TokenEndpointAuthMethod;

  @Column({ name: 'grant_types', type: 'jsonb' })
  grantTypes: string[];

  @Column({ name: 'response_types', type: 'jsonb' })
  responseTypes: string[];

  @Column({ type: 'text', nullable: true })
  scope: string | null;

  /** The registered metadata as echoed to the client (RFC 7591 names). */
  @Column({ type: 'jsonb', default: () => `'{}'::jsonb` })
  metadata: Record<string, unknown>;

  /**
   * Dynamic clients: the issuer they were registered under (RFC 6749 §2.2); under any other issuer
   * they are unknown. NULL for CIMD clients (portable) and, until the server binds them at start,
   * for dynamic clients registered before the column existed.
   */
  @Column({ type: 'text', nullable: true })
  issuer: string | null;

  @Column({ name: 'registered_ip', type: 'text', nullable: true })
  registeredIp: string | null;

  /** CIMD clients: when the cached document must be fetched again. */
  @Column({ name: 'metadata_expires_at', type: 'timestamptz', nullable: true })
  metadataExpiresAt: Date | null;

  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true })
  lastUsedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

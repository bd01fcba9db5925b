import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { randomToken, sha256Hex } from 'src/common/crypto';
import { APP_CONFIG, AppConfig } from 'src/config/app.config';
import { validateRegistration } from 'src/oauth/clients/client-registration.validation';
import { OAuthClient } from 'src/oauth/entities';

/** The RFC 7591 §3.2.1 answer: the stored metadata, plus the secret for confidential clients, once. */
export interface ClientRegistrationResponse {
  client_id: string;
  client_secret?: string;
  client_id_issued_at: number;
  /** 0: the secret does not expire. Present exactly when a secret is issued. */
  client_secret_expires_at?: number;
  client_name: string;
  redirect_uris: string[];
  grant_types: string[];
  response_types: string[];
  token_endpoint_auth_method: string;
  scope?: string;
}

/** Who is registering; recorded with the client. */
export interface RegistrationContext {
  ip: string | null;
}

/**
 * Dynamic client registration (RFC 7591). The server generates `client_id` (192 random bits) and, for
 * `client_secret_post`/`client_secret_basic` clients, a 256-bit secret that is returned once and
 * stored only as its SHA-256. The client is bound to the issuer it registered under (see
 * ClientService).
 */
@Injectable()
export class ClientRegistrationService {
  constructor(
    @InjectRepository(OAuthClient) private readonly clients: Repository<OAuthClient>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async register(body: unknown, context: RegistrationContext): Promise<ClientRegistrationResponse> {
    const req = validateRegistration(body, this.config.oauth.redirectSchemes);
    const clientId = randomToken(24);
    const secret = req.tokenEndpointAuthMethod === 'none' ? null : randomToken(32);
    const metadata = {
      client_name: req.clientName,
      redirect_uris: req.redirectUris,
      grant_types: req.grantTypes,
      response_types: req.responseTypes,
      token_endpoint_auth_method: req.tokenEndpointAuthMethod,
      ...(req.scope ? { scope: req.scope } : {}),
    };
    const saved = await this.clients.save(
      this.clients.create({
        clientId,
        clientSecretHash: secret === null ? null : sha256Hex(secret),
        kind: 'dynamic',
        clientName: req.clientName,
        redirectUris: req.redirectUris,
        tokenEndpointAuthMethod: req.tokenEndpointAuthMethod,
        grantTypes: req.grantTypes,
        responseTypes: req.responseTypes,
        scope: req.scope,
        metadata,
        issuer: this.config.oauth.issuer,
        registeredIp: context.ip,
        metadataExpiresAt: null,
        lastUsedAt: null,
      }),
    );
    return {
      client_id: clientId,
      ...(secret === null ? {} : { client_secret: secret }),
      client_id_issued_at: Math.floor(saved.createdAt.getTime() / 1000),
      ...(secret === null ? {} : { client_secret_expires_at: 0 }),
      ...metadata,
    };
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { randomToken, sha256Hex } from 'src/common/crypto';
import { APP_CONFIG, AppConfig } from 'src/config/app.config';

/** Everything an authorization code is bound to (OAuth 2.1 §4.1.3; RFC 8707 for `resource`). */
export interface CodeBinding {
  grantId: string;
  /** oauth_clients.id. */
  clientRowId: string;
  userId: string;
  organizationId: string;
  redirectUri: string;
  codeChallenge: string;
  resource: string;
  scope: string;
}

/**
 * Issues authorization codes: 256 random bits handed to the browser once, stored only as
 * `code_hash = sha256Hex(code)` in `oauth_authorization_codes`, expiring after `codeTtlSeconds`
 * (database clock). The token endpoint redeems these rows.
 */
@Injectable()
export class AuthorizationCodeService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Returns the code itself; never log it. Pass the transaction's manager when inside one. */
  async issue(
    binding: CodeBinding,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<string> {
    const code = randomToken();
    await manager.query(
      `INSERT INTO oauth_authorization_codes
         (code_hash, grant_id, client_id, user_id, organization_id, redirect_uri, code_challenge,
          resource, scope, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, now() + make_interval(secs => $10::int))`,
      [
        sha256Hex(code),
        binding.grantId,
        binding.clientRowId,
        binding.userId,
        binding.organizationId,
        binding.redirectUri,
        binding.codeChallenge,
        binding.resource,
        binding.scope,
        this.config.oauth.codeTtlSeconds,
      ],
    );
    return code;
  }
}

import {
  Inject,
  Injectable,
  Logger,
  OnApplicationShutdown,
  OnModuleDestroy,
  OnModuleInit,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { KeyObject } from 'node:crypto';
import { DataSource } from 'typeorm';
import { sqlState } from 'src/common/errors/database-errors';
import { APP_CONFIG, AppConfig } from 'src/config/app.config';
import {
  EcPublicJwk,
  generateP256PrivateKey,
  jwkThumbprint,
  parseP256PrivateKey,
  PrivateKeyCodec,
  PublishedJwk,
  publicJwkOf,
  publicKeyFromJwk,
  SigningKeyError,
} from 'src/oauth/tokens/signing-key.crypto';

/** The key new access tokens are signed with. */
export interface ActiveSigningKey {
  kid: string;
  privateKey: KeyObject;
}

interface VerificationKey {
  kid: string;
  publicKey: KeyObject;
  jwk: PublishedJwk;
  /** Epoch ms; null while the key is current. */
  retiredAt: number | null;
}

interface KeyRow {
  kid: string;
  public_jwk: EcPublicJwk;
  retired_at: Date | string | null;
}

/** Serialises key generation and rotation across instances (transaction-scoped advisory lock). */
const KEY_LOCK = 0x6f61756b; // 'oauk'
/** How often an instance re-reads the key table, so a rotation elsewhere reaches it. */
export const KEY_RELOAD_INTERVAL_MS = 10_000;
/** An unknown `kid` may trigger a re-read, at most this often. */
const UNKNOWN_KID_RELOAD_MS = 5_000;

/**
 * ES256 (P-256) signing keys. The key comes from OAUTH_SIGNING_KEY (PEM) or from `oauth_signing_keys`:
 * the newest non-retired row, generated once (under an advisory lock, so instances starting together
 * agree on one key) and never regenerated at boot. Keys are imported once and kept in memory, so
 * verification and the JWKS need no database. A retired key keeps verifying, and stays in the JWKS,
 * for the access-token lifetime plus leeway after its retirement.
 */
@Injectable()
export class SigningKeyService implements OnModuleInit, OnModuleDestroy, OnApplicationShutdown {
  private readonly logger = new Logger(SigningKeyService.name);
  private readonly codec: PrivateKeyCodec;
  private readonly retentionMs: number;
  private signing: ActiveSigningKey | undefined;
  private keys = new Map<string, VerificationKey>();
  private loading: Promise<void> | undefined;
  private lastLoadAt = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.codec = new PrivateKeyCodec(config.oauth.signingKeySecret);
    this.retentionMs =
      (config.oauth.accessTokenTtlSeconds + config.oauth.clockLeewaySeconds) * 1000;
  }

  async onModuleInit(): Promise<void> {
    try {
      await this.ensureLoaded();
    } catch (err) {
      // The admin CLI starts its context before migrating: load on first use instead.
      if (sqlState(err) === '42P01') return;
      throw err;
    }
    if (!this.config.oauth.signingKeyPem) {
      this.timer = setInterval(() => void this.reloadQuietly(), KEY_RELOAD_INTERVAL_MS);
      this.timer.unref();
    }
  }

  onModuleDestroy(): void {
    this.stopTimer();
  }

  onApplicationShutdown(): void {
    this.stopTimer();
  }

  /** Loads (or creates) the keys once; concurrent callers share the work. */
  ensureLoaded(): Promise<void> {
    if (this.signing) return Promise.resolve();
    this.loading ??= this.load().finally(() => (this.loading = undefined));
    return this.loading;
  }

  /** The key to sign with. Throws when the keys are not loaded yet (see {@link ensureLoaded}). */
  signingKey(): ActiveSigningKey {
    if (!this.signing) throw new SigningKeyError('Signing keys are not loaded');
    return this.signing;
  }

  /** One of our public keys by `kid`: current, or retired within the retention window. */
  verificationKey(kid: string): KeyObject | undefined {
    const key = this.keys.get(kid);
    if (key && this.isPublished(key, Date.now())) return key.publicKey;
    if (!key && !this.config.oauth.signingKeyPem && this.signing) {
      // Perhaps another instance rotated: re-read soon (this request still fails).
      if (Date.now() - this.lastLoadAt > UNKNOWN_KID_RELOAD_MS) void this.reloadQuietly();
    }
    return undefined;
  }

  /** The public JWK Set: current and recently retired keys, public parameters only. */
  jwks(): { keys: PublishedJwk[] } {
    const now = Date.now();
    return {
      keys: [...this.keys.values()]
        .filter((k) => this.isPublished(k, now))
        .map((k) => ({ ...k.jwk })),
    };
  }

  /**
   * Creates a new signing key and retires the previous ones (they keep verifying for the token
   * lifetime plus leeway). Not possible when the key is configured with OAUTH_SIGNING_KEY.
   */
  async rotate(): Promise<{ kid: string }> {
    if (this.config.oauth.signingKeyPem) {
      throw new SigningKeyError(
        'The signing key is configured with OAUTH_SIGNING_KEY: replace that value to rotate it',
      );
    }
    const kid = await this.dataSource.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [KEY_LOCK]);
      await tx.query(`UPDATE oauth_signing_keys SET retired_at = $1 WHERE retired_at IS NULL`, [
        new Date(),
      ]);
      return this.insertNewKey((sql, params) => tx.query(sql, params));
    });
    await this.reload();
    this.logger.log(`signing key rotated; new kid ${kid}`);
    return { kid };
  }

  /** Re-reads the key table (rotations by other instances or the CLI). */
  async reload(): Promise<void> {
    if (this.config.oauth.signingKeyPem) return;
    await this.loadFromDatabase();
  }

  private async load(): Promise<void> {
    if (this.config.oauth.signingKeyPem) this.loadConfigured(this.config.oauth.signingKeyPem);
    else await this.loadFromDatabase();
  }

  private loadConfigured(pem: string): void {
    const privateKey = parseP256PrivateKey(pem);
    const jwk = publicJwkOf(privateKey);
    const kid = jwkThumbprint(jwk);
    this.keys = new Map([[kid, this.verificationEntry(kid, jwk, null)]]);
    this.signing = { kid, privateKey };
    this.lastLoadAt = Date.now();
  }

  private async loadFromDatabase(): Promise<void> {
    let rows = await this.readRows();
    if (!rows.some((r) => r.retired_at === null)) {
      await this.createFirstKey();
      rows = await this.readRows();
    }
    const current = rows.find((r) => r.retired_at === null);
    if (!current) throw new SigningKeyError('No usable signing key was found or created');
    const keys = new Map<string, VerificationKey>();
    for (const row of rows) {
      const known = this.keys.get(row.kid);
      const retiredAt = row.retired_at === null ? null : new Date(row.retired_at).getTime();
      keys.set(
        row.kid,
        known
          ? { ...known, retiredAt }
          : this.verificationEntry(row.kid, row.public_jwk, retiredAt),
      );
    }
    const signing =
      this.signing?.kid === current.kid ? this.signing : await this.importPrivateKey(current.kid);
    this.keys = keys;
    this.signing = signing;
    this.lastLoadAt = Date.now();
  }

  /** Keys that still verify: not retired, or retired within the retention window. */
  private async readRows(): Promise<KeyRow[]> {
    return this.dataSource.query(
      `SELECT kid, public_jwk, retired_at FROM oauth_signing_keys
        WHERE retired_at IS NULL OR retired_at > $1
        ORDER BY created_at DESC, id`,
      [new Date(Date.now() - this.retentionMs)],
    );
  }

  /** Generates the first key unless another instance did so meanwhile (checked under the lock). */
  private async createFirstKey(): Promise<void> {
    await this.dataSource.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [KEY_LOCK]);
      const existing: unknown[] = await tx.query(
        `SELECT 1 FROM oauth_signing_keys WHERE retired_at IS NULL LIMIT 1`,
      );
      if (existing.length > 0) return;
      const kid = await this.insertNewKey((sql, params) => tx.query(sql, params));
      this.logger.log(`generated the signing key ${kid}`);
    });
  }

  private async insertNewKey(
    query: (sql: string, params: unknown[]) => Promise<unknown>,
  ): Promise<string> {
    const privateKey = generateP256PrivateKey();
    const jwk = publicJwkOf(privateKey);
    const kid = jwkThumbprint(jwk);
    await query(
      `INSERT INTO oauth_signing_keys (kid, alg, private_key, public_jwk, created_at)
       VALUES ($1, 'ES256', $2, $3::jsonb, $4)`,
      [kid, this.codec.encode(privateKey), JSON.stringify(jwk), new Date()],
    );
    return kid;
  }

  private async importPrivateKey(kid: string): Promise<ActiveSigningKey> {
    const rows: Array<{ private_key: string }> = await this.dataSource.query(
      `SELECT private_key FROM oauth_signing_keys WHERE kid = $1`,
      [kid],
    );
    if (!rows[0]) throw new SigningKeyError(`The signing key ${kid} disappeared while loading`);
    const privateKey = this.codec.decode(rows[0].private_key);
    if (jwkThumbprint(publicJwkOf(privateKey)) !== kid) {
      throw new SigningKeyError(`The stored private key does not match the key id ${kid}`);
    }
    if (this.config.oauth.signingKeySecret && !PrivateKeyCodec.isEncrypted(rows[0].private_key)) {
      this.logger.warn(`signing key ${kid} is stored unencrypted (it predates SIGNING_KEY_SECRET)`);
    }
    return { kid, privateKey };
  }

  private verificationEntry(
    kid: string,
    jwk: EcPublicJwk,
    retiredAt: number | null,
  ): VerificationKey {
    const publicJwk: EcPublicJwk = { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y };
    return {
      kid,
      publicKey: publicKeyFromJwk(publicJwk),
      jwk: { ...publicJwk, kid, use: 'sig', alg: 'ES256' },
      retiredAt,
    };
  }

  private isPublished(key: VerificationKey, now: number): boolean {
    return key.retiredAt === null || now < key.retiredAt + this.retentionMs;
  }

  private async reloadQuietly(): Promise<void> {
    this.lastLoadAt = Date.now();
    try {
      await this.reload();
    } catch (err) {
      this.logger.warn(`could not re-read the signing keys: ${(err as Error).message}`);
    }
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}

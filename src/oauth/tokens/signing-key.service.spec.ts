import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Logger } from '@nestjs/common';
import { AppConfig, loadAppConfig } from 'src/config/app.config';
import { buildDataSourceOptions } from 'src/database/data-source';
import { runMigrations } from 'src/database/migrate';
import { AccessTokenService } from 'src/oauth/tokens/access-token.service';
import { jwkThumbprint, publicJwkOf, SigningKeyError } from 'src/oauth/tokens/signing-key.crypto';
import { SigningKeyService } from 'src/oauth/tokens/signing-key.service';

const ISSUER = 'https://app.example.com';
const SECRET = 'a-signing-key-secret-of-at-least-32-chars';
const config = (env: Record<string, string> = {}): AppConfig =>
  loadAppConfig({ PUBLIC_URL: ISSUER, ...env });

const unusedDatabase = new Proxy({} as DataSource, {
  get: () => {
    throw new Error('the database must not be used');
  },
});

describe('SigningKeyService', () => {
  beforeAll(() => Logger.overrideLogger(false));

  describe('with a configured key (OAUTH_SIGNING_KEY)', () => {
    const key = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    const kid = jwkThumbprint(publicJwkOf(key));

    it.each([
      ['PKCS#8', key.export({ format: 'pem', type: 'pkcs8' }).toString()],
      ['SEC1', key.export({ format: 'pem', type: 'sec1' }).toString()],
    ])(
      'should load a %s PEM with kid = RFC 7638 thumbprint, without the database',
      async (_, pem) => {
        const sut = new SigningKeyService(unusedDatabase, config({ OAUTH_SIGNING_KEY: pem }));
        await sut.onModuleInit();
        expect(sut.signingKey().kid).toBe(kid);
        expect(sut.jwks()).toEqual({
          keys: [
            { kty: 'EC', crv: 'P-256', kid, use: 'sig', alg: 'ES256', ...pick(publicJwkOf(key)) },
          ],
        });
        await expect(sut.rotate()).rejects.toBeInstanceOf(SigningKeyError);
      },
    );

    it('should refuse a key that is not P-256', async () => {
      for (const other of [
        generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey,
        generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey,
      ]) {
        const pem = other.export({ format: 'pem', type: 'pkcs8' }).toString();
        const sut = new SigningKeyService(unusedDatabase, config({ OAUTH_SIGNING_KEY: pem }));
        await expect(sut.onModuleInit()).rejects.toThrow(/P-256/);
      }
    });
  });

  describe('with keys stored in the database', () => {
    let dataSource: DataSource;
    const keyRows = (): Promise<
      Array<{ kid: string; private_key: string; retired_at: Date | null }>
    > =>
      dataSource.query(
        `SELECT kid, private_key, retired_at FROM oauth_signing_keys ORDER BY created_at`,
      );
    const services: SigningKeyService[] = [];
    const make = (env: Record<string, string> = {}): SigningKeyService => {
      const s = new SigningKeyService(dataSource, config(env));
      services.push(s);
      return s;
    };

    beforeAll(async () => {
      dataSource = new DataSource(buildDataSourceOptions({ kind: 'embedded', dataDir: undefined }));
      await dataSource.initialize();
      await runMigrations(dataSource, true);
    }, 60_000);
    afterAll(async () => {
      await dataSource.destroy();
    });
    beforeEach(async () => {
      await dataSource.query(`DELETE FROM oauth_signing_keys`);
    });
    afterEach(() => {
      services.splice(0).forEach((s) => s.onModuleDestroy());
      jest.restoreAllMocks();
    });

    it('should generate one key when none exists and store it as plain PKCS#8 without a secret', async () => {
      const sut = make();
      await sut.onModuleInit();
      const rows = await keyRows();
      expect(rows).toHaveLength(1);
      expect(rows[0].kid).toBe(sut.signingKey().kid);
      expect(rows[0].private_key).toMatch(/^-----BEGIN PRIVATE KEY-----/);
      const stored = createPrivateKey(rows[0].private_key);
      expect(jwkThumbprint(publicJwkOf(stored))).toBe(rows[0].kid);
    });

    it('should never regenerate at start when a key exists', async () => {
      const first = make();
      await first.onModuleInit();
      const second = make();
      await second.onModuleInit();
      expect(second.signingKey().kid).toBe(first.signingKey().kid);
      expect(await keyRows()).toHaveLength(1);
    });

    it('should let instances starting together agree on one key', async () => {
      const instances = [make(), make(), make()];
      await Promise.all(instances.map((s) => s.onModuleInit()));
      expect(new Set(instances.map((s) => s.signingKey().kid)).size).toBe(1);
      expect(await keyRows()).toHaveLength(1);
    });

    it('should encrypt the stored key with AES-256-GCM when SIGNING_KEY_SECRET is set', async () => {
      const sut = make({ SIGNING_KEY_SECRET: SECRET });
      await sut.onModuleInit();
      const [row] = await keyRows();
      expect(row.private_key).toMatch(/^enc:v1:[A-Za-z0-9_-]+:[A-Za-z0-9_-]+:[A-Za-z0-9_-]+$/);
      expect(row.private_key).not.toContain('PRIVATE KEY');

      const restarted = make({ SIGNING_KEY_SECRET: SECRET });
      await restarted.onModuleInit();
      expect(restarted.signingKey().kid).toBe(sut.signingKey().kid);

      await expect(make({ SIGNING_KEY_SECRET: `${SECRET}-other` }).onModuleInit()).rejects.toThrow(
        /cannot be decrypted/,
      );
      await expect(make().onModuleInit()).rejects.toThrow(/SIGNING_KEY_SECRET/);
      expect(await keyRows()).toHaveLength(1);
    });

    it('should refuse a stored key whose private half does not match its kid', async () => {
      await make().onModuleInit();
      const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
      await dataSource.query(`UPDATE oauth_signing_keys SET private_key = $1`, [
        other.export({ format: 'pem', type: 'pkcs8' }).toString(),
      ]);
      await expect(make().onModuleInit()).rejects.toThrow(/does not match/);
    });

    it('should rotate: new key signs, the retired one verifies and is listed until ttl + leeway', async () => {
      const cfg = config();
      const sut = make();
      await sut.onModuleInit();
      const tokens = new AccessTokenService(sut, cfg);
      const oldKid = sut.signingKey().kid;
      const input = { userId: 'u', organizationId: 'o', clientId: 'c', grantId: 'g', scope: 'mcp' };
      const oldToken = (await tokens.issue(input)).token;

      const rotatedAt = Date.now();
      const { kid: newKid } = await sut.rotate();
      expect(newKid).not.toBe(oldKid);
      expect(sut.signingKey().kid).toBe(newKid);
      const rows = await keyRows();
      expect(rows.map((r) => [r.kid, r.retired_at === null])).toEqual([
        [oldKid, false],
        [newKid, true],
      ]);
      expect(
        sut
          .jwks()
          .keys.map((k) => k.kid)
          .sort(),
      ).toEqual([oldKid, newKid].sort());
      expect(tokens.verify(oldToken).sub).toBe('u');
      const newToken = (await tokens.issue(input)).token;
      expect(JSON.parse(Buffer.from(newToken.split('.')[0], 'base64url').toString()).kid).toBe(
        newKid,
      );

      // Another instance (restart) sees the same: the new key signs, the old one still verifies.
      const other = make();
      await other.onModuleInit();
      expect(other.signingKey().kid).toBe(newKid);
      expect(other.verificationKey(oldKid)).toBeDefined();

      const windowMs = (cfg.oauth.accessTokenTtlSeconds + cfg.oauth.clockLeewaySeconds) * 1000;
      const now = jest.spyOn(Date, 'now').mockReturnValue(rotatedAt + windowMs - 2000);
      expect(sut.jwks().keys.map((k) => k.kid)).toContain(oldKid);
      now.mockReturnValue(rotatedAt + windowMs + 2000);
      expect(sut.jwks().keys.map((k) => k.kid)).toEqual([newKid]);
      expect(sut.verificationKey(oldKid)).toBeUndefined();
      expect(() => tokens.verify(oldToken)).toThrow(/unknown key/);
    });

    it('should pick up a rotation made by another instance on reload', async () => {
      const a = make();
      const b = make();
      await a.onModuleInit();
      await b.onModuleInit();
      const { kid } = await a.rotate();
      expect(b.verificationKey(kid)).toBeUndefined();
      await b.reload();
      expect(b.signingKey().kid).toBe(kid);
      expect(b.verificationKey(kid)).toBeDefined();
    });

    it('should keep its keys in memory when the database fails', async () => {
      const sut = make();
      await sut.onModuleInit();
      const kid = sut.signingKey().kid;
      jest.spyOn(dataSource, 'query').mockRejectedValue(new Error('connect ECONNREFUSED'));
      await expect(sut.reload()).rejects.toThrow();
      expect(sut.signingKey().kid).toBe(kid);
      expect(sut.jwks().keys).toHaveLength(1);
    });

    it('should defer loading when the table does not exist yet (CLI before migrations)', async () => {
      const missing = Object.assign(new Error('relation "oauth_signing_keys" does not exist'), {
        code: '42P01',
      });
      const early = new SigningKeyService(
        { query: jest.fn().mockRejectedValue(missing) } as unknown as DataSource,
        config(),
      );
      await expect(early.onModuleInit()).resolves.toBeUndefined();
      expect(() => early.signingKey()).toThrow(SigningKeyError);
      expect(early.jwks()).toEqual({ keys: [] });
    });
  });
});

function pick(jwk: { x: string; y: string }): { x: string; y: string } {
  return { x: jwk.x, y: jwk.y };
}

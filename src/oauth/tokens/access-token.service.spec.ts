import { createHmac, createPublicKey, generateKeyPairSync, KeyObject, sign } from 'node:crypto';
import fc from 'fast-check';
import type { DataSource } from 'typeorm';
import { AuthError } from 'src/auth/auth.errors';
import { AppConfig, loadAppConfig } from 'src/config/app.config';
import {
  AccessTokenInput,
  AccessTokenService,
  MAX_ACCESS_TOKEN_LENGTH,
} from 'src/oauth/tokens/access-token.service';
import { jwkThumbprint, publicJwkOf } from 'src/oauth/tokens/signing-key.crypto';
import { SigningKeyService } from 'src/oauth/tokens/signing-key.service';

const ISSUER = 'https://app.example.com';
const AUDIENCE = `${ISSUER}/mcp`;
const NOW = 1_900_000_000;

const ourKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
const ourPem = ourKey.export({ format: 'pem', type: 'pkcs8' }).toString();
const ourKid = jwkThumbprint(publicJwkOf(ourKey));
const ourPublicPem = createPublicKey(ourKey).export({ format: 'pem', type: 'spki' }).toString();
const attackerKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
const rsaKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;

const b64 = (value: unknown): string =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

type Signer = (data: string) => string;
const es256 =
  (key: KeyObject): Signer =>
  (data) =>
    sign('sha256', Buffer.from(data), { key, dsaEncoding: 'ieee-p1363' }).toString('base64url');
const hs256 =
  (secret: string): Signer =>
  (data) =>
    createHmac('sha256', secret).update(data).digest('base64url');
const rs256: Signer = (data) => sign('sha256', Buffer.from(data), rsaKey).toString('base64url');

function forge(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  signer: Signer = es256(ourKey),
): string {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${signer(input)}`;
}

const goodHeader = (): Record<string, unknown> => ({ alg: 'ES256', typ: 'at+jwt', kid: ourKid });
const goodClaims = (): Record<string, unknown> => ({
  iss: ISSUER,
  sub: '6f1c1b8e-1f7e-4c39-9b39-5d0c2a1e7a10',
  aud: AUDIENCE,
  client_id: 'client-123',
  scope: 'mcp:read mcp:write',
  org: '0b0c7d55-6b49-4b51-a3b0-58d7f7bd3b5c',
  grant_id: '2a0a7f8e-8f0e-4a8e-9b1b-0d5c9b7e2f11',
  jti: 'b0f1d2c3-0000-4000-8000-000000000001',
  iat: NOW,
  exp: NOW + 900,
});

describe('AccessTokenService', () => {
  let config: AppConfig;
  let sut: AccessTokenService;

  const rejects = (token: unknown, message?: RegExp): void => {
    let caught: unknown;
    try {
      sut.verify(token as string);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(AuthError);
    expect((caught as AuthError).kind).toBe('invalid');
    if (message) expect((caught as AuthError).message).toMatch(message);
  };

  beforeAll(async () => {
    config = loadAppConfig({ PUBLIC_URL: ISSUER, OAUTH_SIGNING_KEY: ourPem });
    const noDatabase = {} as DataSource; // a configured key never touches the database
    const keys = new SigningKeyService(noDatabase, config);
    await keys.ensureLoaded();
    sut = new AccessTokenService(keys, config);
  });

  beforeEach(() => {
    jest.spyOn(Date, 'now').mockReturnValue(NOW * 1000);
  });
  afterEach(() => {
    jest.restoreAllMocks();
  });

  describe('issue', () => {
    const input: AccessTokenInput = {
      userId: 'u1',
      organizationId: 'o1',
      clientId: 'c1',
      grantId: 'g1',
      scope: 'mcp:read',
    };

    it('should issue an RFC 9068 JWT that verifies', async () => {
      const { token, expiresIn } = await sut.issue(input);
      expect(expiresIn).toBe(900);
      const [header] = token.split('.');
      expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toEqual({
        alg: 'ES256',
        typ: 'at+jwt',
        kid: ourKid,
      });
      expect(sut.verify(token)).toEqual({
        iss: ISSUER,
        sub: 'u1',
        aud: AUDIENCE,
        client_id: 'c1',
        scope: 'mcp:read',
        org: 'o1',
        grant_id: 'g1',
        jti: expect.stringMatching(/^[0-9a-f-]{36}$/),
        iat: NOW,
        exp: NOW + 900,
      });
    });

    it('should give each token a unique jti', async () => {
      const a = await sut.issue(input);
      const b = await sut.issue(input);
      expect(a.claims.jti).not.toBe(b.claims.jti);
    });

    it('should verify each token with the key its kid names, current or retired', async () => {
      const newKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
      let signing = { kid: 'old', privateKey: ourKey };
      const publicKeys = new Map([
        ['old', createPublicKey(ourKey)],
        ['new', createPublicKey(newKey)],
      ]);
      const keys = {
        ensureLoaded: () => Promise.resolve(),
        signingKey: () => signing,
        verificationKey: (kid: string) => publicKeys.get(kid),
      } as unknown as SigningKeyService;
      const rotating = new AccessTokenService(keys, config);
      const before = (await rotating.issue(input)).token;
      signing = { kid: 'new', privateKey: newKey };
      const after = (await rotating.issue(input)).token;
      expect(rotating.verify(before).jti).not.toBe(rotating.verify(after).jti);
      const [h, p] = before.split('.');
      const oldKidNewSignature = `${h}.${p}.${es256(newKey)(`${h}.${p}`)}`;
      expect(() => rotating.verify(oldKidNewSignature)).toThrow(/signature/);
      publicKeys.delete('old');
      expect(() => rotating.verify(before)).toThrow(/unknown key/);
    });
  });

  describe('verify', () => {
    it('should accept a well-formed token signed with our key', () => {
      expect(sut.verify(forge(goodHeader(), goodClaims()))).toMatchObject({
        sub: goodClaims().sub,
      });
    });

    it('should refuse alg none in any spelling, with or without a signature', () => {
      for (const alg of ['none', 'None', 'NONE', '']) {
        const header = { ...goodHeader(), alg };
        rejects(
          forge(header, goodClaims(), () => ''),
          /not a JWS/,
        );
        rejects(forge(header, goodClaims()), /algorithm/);
      }
    });

    it('should refuse HS256 signed with our public key (PEM or JWK) as the HMAC secret', () => {
      const jwk = JSON.stringify({ ...publicJwkOf(ourKey), kid: ourKid });
      for (const secret of [ourPublicPem, jwk, ourPublicPem.trim()]) {
        rejects(forge({ ...goodHeader(), alg: 'HS256' }, goodClaims(), hs256(secret)), /algorithm/);
      }
    });

    it('should refuse RS256, PS256, ES384 and other algorithms', () => {
      rejects(forge({ ...goodHeader(), alg: 'RS256' }, goodClaims(), rs256), /algorithm/);
      for (const alg of ['PS256', 'ES384', 'ES512', 'EdDSA', 'es256', ['ES256']]) {
        rejects(forge({ ...goodHeader(), alg }, goodClaims()), /algorithm/);
      }
    });

    it('should refuse a token signed by another key, whatever kid it names', () => {
      rejects(forge(goodHeader(), goodClaims(), es256(attackerKey)), /signature/);
      const attackerKid = jwkThumbprint(publicJwkOf(attackerKey));
      rejects(
        forge({ ...goodHeader(), kid: attackerKid }, goodClaims(), es256(attackerKey)),
        /unknown key/,
      );
    });

    it('should refuse a missing or foreign kid', () => {
      const { kid: _kid, ...noKid } = goodHeader();
      rejects(forge(noKid, goodClaims()), /key id/);
      rejects(forge({ ...goodHeader(), kid: 42 }, goodClaims()), /key id/);
      rejects(forge({ ...goodHeader(), kid: '' }, goodClaims()), /key id/);
      rejects(forge({ ...goodHeader(), kid: 'other' }, goodClaims()), /unknown key/);
      rejects(forge({ ...goodHeader(), kid: '__proto__' }, goodClaims()), /unknown key/);
    });

    it('should never follow jku, x5u, jwk or x5c headers', () => {
      const fetchSpy = jest.spyOn(globalThis, 'fetch');
      const attackerJwk = publicJwkOf(attackerKey);
      const attackerKid = jwkThumbprint(attackerJwk);
      const headers = [
        { jku: 'https://evil.example/jwks.json' },
        { x5u: 'https://evil.example/cert.pem' },
        { jwk: { ...attackerJwk, kid: attackerKid } },
        { x5c: ['MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA'] },
      ];
      for (const extra of headers) {
        rejects(
          forge({ ...goodHeader(), kid: attackerKid, ...extra }, goodClaims(), es256(attackerKey)),
          /unknown key/,
        );
        rejects(
          forge({ ...goodHeader(), ...extra }, goodClaims(), es256(attackerKey)),
          /signature/,
        );
      }
      expect(fetchSpy).not.toHaveBeenCalled();
    });

    it('should require typ at+jwt (case-insensitive, application/ prefix allowed)', () => {
      for (const typ of ['at+jwt', 'AT+JWT', 'application/at+jwt', 'Application/AT+JWT']) {
        expect(sut.verify(forge({ ...goodHeader(), typ }, goodClaims()))).toBeDefined();
      }
      const { typ: _typ, ...noTyp } = goodHeader();
      rejects(forge(noTyp, goodClaims()), /typ/);
      for (const typ of ['JWT', 'jwt', 'application/jwt', 'at+jwt ', 'dpop+jwt', 1]) {
        rejects(forge({ ...goodHeader(), typ }, goodClaims()), /typ/);
      }
    });

    it('should refuse critical header extensions', () => {
      rejects(forge({ ...goodHeader(), crit: ['exp'] }, goodClaims()), /critical/);
    });

    it('should require the exact issuer', () => {
      for (const iss of [
        `${ISSUER}/`,
        'http://app.example.com',
        'https://APP.example.com',
        undefined,
      ]) {
        rejects(forge(goodHeader(), { ...goodClaims(), iss }), /issuer/);
      }
    });

    it('should require the MCP resource in aud (string or array)', () => {
      expect(
        sut.verify(
          forge(goodHeader(), { ...goodClaims(), aud: ['https://other.example', AUDIENCE] }),
        ),
      ).toBeDefined();
      for (const aud of [
        'https://other.example/mcp',
        `${AUDIENCE}/`,
        ISSUER,
        ['https://other.example'],
        [],
        undefined,
        { aud: AUDIENCE },
      ]) {
        rejects(forge(goodHeader(), { ...goodClaims(), aud }), /resource/);
      }
    });

    it('should refuse a token expired beyond the 30 s leeway, accept one within it', () => {
      expect(
        sut.verify(forge(goodHeader(), { ...goodClaims(), iat: NOW - 929, exp: NOW - 29 })),
      ).toBeDefined();
      rejects(forge(goodHeader(), { ...goodClaims(), iat: NOW - 930, exp: NOW - 30 }), /expired/);
      rejects(
        forge(goodHeader(), { ...goodClaims(), iat: NOW - 10_000, exp: NOW - 9_100 }),
        /expired/,
      );
    });

    it('should require numeric exp and iat', () => {
      const { exp: _exp, ...noExp } = goodClaims();
      rejects(forge(goodHeader(), noExp), /exp/);
      const { iat: _iat, ...noIat } = goodClaims();
      rejects(forge(goodHeader(), noIat), /iat/);
      rejects(forge(goodHeader(), { ...goodClaims(), exp: String(NOW + 900) }), /exp/);
      rejects(forge(goodHeader(), { ...goodClaims(), iat: null }), /iat/);
    });

    it('should refuse nbf or iat in the future beyond the leeway', () => {
      expect(sut.verify(forge(goodHeader(), { ...goodClaims(), nbf: NOW + 29 }))).toBeDefined();
      rejects(forge(goodHeader(), { ...goodClaims(), nbf: NOW + 31 }), /not valid yet/);
      rejects(forge(goodHeader(), { ...goodClaims(), nbf: 'soon' }), /not valid yet/);
      rejects(forge(goodHeader(), { ...goodClaims(), iat: NOW + 31, exp: NOW + 931 }), /future/);
    });

    it('should refuse NumericDates that JSON reads as ±Infinity (1e999)', () => {
      const raw = (claims: string): string => {
        const input = `${b64(goodHeader())}.${b64(claims)}`;
        return `${input}.${es256(ourKey)(input)}`;
      };
      const base = JSON.stringify(goodClaims()).slice(0, -1);
      expect(sut.verify(raw(`${base},"nbf":${NOW}}`))).toBeDefined();
      rejects(raw(`${base},"nbf":-1e999}`), /not valid yet/);
      rejects(raw(`${base},"nbf":1e999}`), /not valid yet/);
      rejects(raw(`${base.replace(`"exp":${NOW + 900}`, '"exp":1e999')}}`), /exp/);
      rejects(raw(`${base.replace(`"iat":${NOW}`, '"iat":-1e999')}}`), /iat/);
    });

    it('should refuse a lifetime longer than configured plus leeway', () => {
      expect(sut.verify(forge(goodHeader(), { ...goodClaims(), exp: NOW + 930 }))).toBeDefined();
      rejects(forge(goodHeader(), { ...goodClaims(), exp: NOW + 931 }), /too long/);
      rejects(forge(goodHeader(), { ...goodClaims(), exp: NOW + 86_400 * 365 }), /too long/);
    });

    it('should require each RFC 9068 string claim', () => {
      for (const name of ['sub', 'client_id', 'scope', 'org', 'grant_id', 'jti']) {
        const claims = goodClaims();
        delete claims[name];
        rejects(forge(goodHeader(), claims), new RegExp(name));
        for (const value of [42, null, '', ['x'], { x: 1 }]) {
          rejects(forge(goodHeader(), { ...goodClaims(), [name]: value }), new RegExp(name));
        }
      }
    });

    it('should refuse a tampered payload or signature', () => {
      const token = forge(goodHeader(), goodClaims());
      const [h, , s] = token.split('.');
      rejects(`${h}.${b64({ ...goodClaims(), scope: 'mcp' })}.${s}`, /signature/);
      rejects(`${h}.${b64({ ...goodClaims(), sub: 'someone-else' })}.${s}`, /signature/);
      const flipped = s.slice(0, 10) + (s[10] === 'A' ? 'B' : 'A') + s.slice(11);
      rejects(`${h}.${token.split('.')[1]}.${flipped}`, /signature/);
      rejects(`${h}.${token.split('.')[1]}.${s.slice(0, -2)}`, /signature/);
    });

    it('should refuse a signature spelled non-canonically (spare base64url bits set)', () => {
      const token = forge(goodHeader(), goodClaims());
      const last = token.slice(-1);
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
      const twin = alphabet[alphabet.indexOf(last) ^ 1];
      rejects(token.slice(0, -1) + twin, /signature/);
    });

    it('should refuse an oversized token before parsing it', () => {
      const big = forge(goodHeader(), {
        ...goodClaims(),
        pad: 'x'.repeat(MAX_ACCESS_TOKEN_LENGTH),
      });
      rejects(big, /too long/);
      rejects('a'.repeat(1024 * 1024), /too long/);
    });

    it('should refuse garbage with AuthError, never another error', () => {
      const body = b64(goodClaims());
      const sig = forge(goodHeader(), goodClaims()).split('.')[2];
      for (const garbage of [
        '',
        'abc',
        'a.b',
        'a.b.c.d',
        '..',
        `${b64(goodHeader())}..${sig}`,
        `${b64('not json')}.${body}.${sig}`,
        `${b64('[1,2]')}.${body}.${sig}`,
        `${b64('null')}.${body}.${sig}`,
        `${b64(goodHeader())}.${b64('"a string"')}.${sig}`,
        `${b64(goodHeader())}.${body}.${sig}=`,
        `${b64(goodHeader())}.${body}.${sig}+/`,
        ` ${forge(goodHeader(), goodClaims())}`,
        'Bearer ' + forge(goodHeader(), goodClaims()),
        '\u0000.\u0000.\u0000',
      ]) {
        rejects(garbage);
      }
      for (const notAString of [undefined, null, 42, {}, ['a', 'b', 'c']]) rejects(notAString);
    });

    it('should answer any input with claims or AuthError (property)', () => {
      const valid = forge(goodHeader(), goodClaims());
      fc.assert(
        fc.property(
          fc.oneof(
            fc.string(),
            fc.string({ unit: 'binary' }),
            fc
              .tuple(fc.nat(valid.length - 1), fc.string({ minLength: 1, maxLength: 3 }))
              .map(([i, s]) => valid.slice(0, i) + s + valid.slice(i + 1)),
          ),
          (input) => {
            try {
              sut.verify(input);
              return input === valid;
            } catch (err) {
              return err instanceof AuthError && err.kind === 'invalid';
            }
          },
        ),
        { numRuns: 500 },
      );
    });
  });
});

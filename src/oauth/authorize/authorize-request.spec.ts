import {
  authorizationResponseUri,
  AuthorizationRequest,
  forcesConsent,
  grantedScope,
  isMcpResource,
  offersWrite,
  parseQueryString,
  parseRequestedScope,
  RawQuery,
  resolveRedirectUri,
  scopeCovers,
  validateAuthorizationRequest,
} from 'src/oauth/authorize/authorize-request';

const MCP = 'https://app.example.com/mcp';
const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

const valid: RawQuery = {
  response_type: 'code',
  client_id: 'client-1',
  redirect_uri: 'http://127.0.0.1:9999/callback',
  code_challenge: CHALLENGE,
  code_challenge_method: 'S256',
  state: 'xyz',
  scope: 'mcp:read mcp:write',
  resource: MCP,
};

const sut = (query: RawQuery) => validateAuthorizationRequest(query, { mcpResource: MCP });

function accepted(query: RawQuery): AuthorizationRequest {
  const result = sut(query);
  if (!result.ok) throw new Error(`refused: ${result.problem}`);
  return result.value;
}

function refused(query: RawQuery): string {
  const result = sut(query);
  if (result.ok) throw new Error('accepted');
  return result.problem;
}

describe('parseQueryString', () => {
  it('should keep a repeated parameter as an array', () => {
    expect(parseQueryString('/x?a=1&b=2&a=3')).toEqual({ a: ['1', '3'], b: '2' });
  });

  it('should decode + and percent-encoding like a form', () => {
    expect(parseQueryString('/x?scope=mcp%3Aread+mcp:write')).toEqual({
      scope: 'mcp:read mcp:write',
    });
  });

  it('should answer an empty object without a query', () => {
    expect(parseQueryString('/oauth2/authorize')).toEqual({});
  });

  it('should not let __proto__ pollute anything', () => {
    const q = parseQueryString('/x?__proto__=1&constructor=2');
    expect(q.__proto__).toBe('1');
    expect(({} as Record<string, unknown>).constructor).toBe(Object);
  });
});

describe('validateAuthorizationRequest', () => {
  it('should accept a complete request and keep state, prompt and the redirect URI', () => {
    expect(accepted({ ...valid, prompt: 'consent' })).toEqual({
      clientId: 'client-1',
      redirectUri: 'http://127.0.0.1:9999/callback',
      codeChallenge: CHALLENGE,
      scope: 'mcp:read mcp:write',
      resource: MCP,
      state: 'xyz',
      prompt: 'consent',
    });
  });

  it.each(Object.keys(valid))('should refuse a repeated %s', (name) => {
    expect(refused({ ...valid, [name]: [String(valid[name]), String(valid[name])] })).toBe(
      `The parameter "${name}" was sent more than once.`,
    );
  });

  it('should refuse a repeated unknown parameter too', () => {
    expect(refused({ ...valid, foo: ['1', '2'] })).toMatch(/"foo" was sent more than once/);
  });

  it.each(['state', 'client_id', 'prompt', 'foo'])(
    'should refuse a NUL character in %s (it cannot be stored)',
    (name) => {
      expect(refused({ ...valid, [name]: 'a\u0000b' })).toBe(
        `The parameter "${name}" contains a NUL character.`,
      );
    },
  );

  it('should ignore unknown parameters', () => {
    expect(accepted({ ...valid, nonce: 'n', response_mode: 'query' }).clientId).toBe('client-1');
  });

  it.each([
    ['client_id', /client_id parameter is missing/],
    ['response_type', /response_type parameter is missing/],
    ['code_challenge', /code_challenge parameter is missing/],
    ['code_challenge_method', /code_challenge_method parameter is missing, which means "plain"/],
  ])('should refuse a missing %s, and treat an empty one as missing', (name, problem) => {
    expect(refused({ ...valid, [name]: undefined })).toMatch(problem);
    expect(refused({ ...valid, [name]: '' })).toMatch(problem);
  });

  it.each(['token', 'code token', 'id_token', 'CODE'])('should refuse response_type %s', (rt) => {
    expect(refused({ ...valid, response_type: rt })).toMatch(/must be "code"/);
  });

  it.each([
    ['42 characters', 'a'.repeat(42)],
    ['129 characters', 'a'.repeat(129)],
    ['a "+"', `${'a'.repeat(42)}+`],
    ['a "/"', `${'a'.repeat(42)}/`],
    ['a "="', `${'a'.repeat(42)}=`],
    ['a space', `${'a'.repeat(42)} `],
  ])('should refuse a code_challenge with %s', (_name, challenge) => {
    expect(refused({ ...valid, code_challenge: challenge })).toMatch(/43 to 128 characters/);
  });

  it.each([
    ['43 characters', 'a'.repeat(43)],
    ['128 characters', 'a'.repeat(128)],
    ['every unreserved character', `${'A'.repeat(39)}-._~`],
  ])('should accept a code_challenge with %s', (_name, challenge) => {
    expect(accepted({ ...valid, code_challenge: challenge }).codeChallenge).toBe(challenge);
  });

  it.each(['plain', 's256', 'S512', 'S256 '])('should refuse code_challenge_method %s', (m) => {
    expect(refused({ ...valid, code_challenge_method: m })).toMatch(/only S256/);
  });

  it('should refuse an unknown scope, naming it', () => {
    expect(refused({ ...valid, scope: 'mcp:read mcp:admin' })).toMatch(/Unknown scope "mcp:admin"/);
  });

  it('should default an absent or empty scope to mcp:read mcp:write', () => {
    expect(accepted({ ...valid, scope: undefined }).scope).toBe('mcp:read mcp:write');
    expect(accepted({ ...valid, scope: '' }).scope).toBe('mcp:read mcp:write');
  });

  it('should accept and drop offline_access', () => {
    expect(accepted({ ...valid, scope: 'offline_access mcp:read' }).scope).toBe('mcp:read');
    expect(accepted({ ...valid, scope: 'offline_access' }).scope).toBe('mcp:read mcp:write');
  });

  it('should canonicalize the scope order and drop duplicates', () => {
    expect(accepted({ ...valid, scope: 'mcp mcp:write  mcp:read mcp:read' }).scope).toBe(
      'mcp:read mcp:write mcp',
    );
  });

  it('should default an absent or empty resource to the MCP URL', () => {
    expect(accepted({ ...valid, resource: undefined }).resource).toBe(MCP);
    expect(accepted({ ...valid, resource: '' }).resource).toBe(MCP);
  });

  it('should store the canonical MCP URL for an accepted variant', () => {
    expect(accepted({ ...valid, resource: 'HTTPS://APP.example.com/mcp/' }).resource).toBe(MCP);
  });

  it('should refuse another resource, naming it and the one served', () => {
    expect(refused({ ...valid, resource: 'https://evil.example/mcp' })).toBe(
      `The resource "https://evil.example/mcp" is not served here: the only resource is ${MCP}.`,
    );
  });

  it('should treat empty state, redirect_uri and prompt as absent', () => {
    const r = accepted({ ...valid, state: '', redirect_uri: '', prompt: '' });
    expect(r).toMatchObject({ state: null, redirectUri: null, prompt: null });
  });

  it('should keep state exactly, markup and all', () => {
    expect(accepted({ ...valid, state: '<b>"&x</b> ü' }).state).toBe('<b>"&x</b> ü');
  });

  it('should strip control characters and cut long values in messages', () => {
    const problem = refused({ ...valid, response_type: `a\u0001b${'x'.repeat(300)}` });
    expect(problem).toContain('"a?bxxx');
    expect(problem).toContain('…"');
    expect(problem.length).toBeLessThan(250);
  });
});

describe('isMcpResource', () => {
  it.each([MCP, `${MCP}/`, 'HTTPS://APP.EXAMPLE.COM/mcp', 'https://app.example.com:443/mcp'])(
    'should accept %s',
    (value) => {
      expect(isMcpResource(value, MCP)).toBe(true);
    },
  );

  it.each([
    'https://app.example.com/MCP',
    `${MCP}//`,
    `${MCP}?x=1`,
    `${MCP}?`,
    `${MCP}#`,
    'http://app.example.com/mcp',
    'https://app.example.com:8443/mcp',
    'https://app.example.com/',
    'https://app.example.com',
    'https://app.example.com/x/../mcp',
    'https://app.example.com/%6Dcp',
    'https://user@app.example.com/mcp',
    'https://app.example.com.evil.example/mcp',
    'app.example.com/mcp',
    'not a url',
  ])('should refuse %s', (value) => {
    expect(isMcpResource(value, MCP)).toBe(false);
  });
});

describe('resolveRedirectUri', () => {
  const registered = ['http://127.0.0.1:9999/callback'];
  const schemes = ['cursor', 'vscode'];

  it('should use the only registered URI when none is sent', () => {
    expect(resolveRedirectUri(null, registered, schemes)).toEqual({
      ok: true,
      value: registered[0],
    });
  });

  it('should refuse a missing redirect_uri when several are registered', () => {
    const r = resolveRedirectUri(null, [...registered, 'https://c.example/cb'], schemes);
    expect(r).toEqual({ ok: false, problem: expect.stringMatching(/missing/) });
  });

  it('should accept the registered loopback URI on another port', () => {
    expect(resolveRedirectUri('http://127.0.0.1:53682/callback', registered, schemes)).toEqual({
      ok: true,
      value: 'http://127.0.0.1:53682/callback',
    });
  });

  it.each([
    'http://127.0.0.1:9999/callback/',
    'http://localhost:9999/callback',
    'http://127.0.0.1:9999/callback?x',
    'https://127.0.0.1:9999/callback',
    'https://attacker.example/callback',
  ])('should refuse the unregistered %s', (uri) => {
    expect(resolveRedirectUri(uri, registered, schemes)).toEqual({
      ok: false,
      problem: expect.stringMatching(/is not registered for this client/),
    });
  });

  it('should refuse a registered URI whose scheme is no longer allowed', () => {
    const cursor = ['cursor://anysphere.cursor-mcp/oauth/callback'];
    expect(resolveRedirectUri(cursor[0], cursor, schemes).ok).toBe(true);
    expect(resolveRedirectUri(cursor[0], cursor, ['vscode'])).toEqual({
      ok: false,
      problem: expect.stringMatching(/scheme cursor:/),
    });
    expect(resolveRedirectUri(null, cursor, ['vscode']).ok).toBe(false);
  });
});

describe('scopes at consent', () => {
  it('should parse a requested scope string', () => {
    expect(parseRequestedScope(null)).toEqual({ ok: true, value: 'mcp:read mcp:write' });
    expect(parseRequestedScope('mcp:write')).toEqual({ ok: true, value: 'mcp:write' });
    expect(parseRequestedScope('read')).toMatchObject({ ok: false });
  });

  it('should offer writing only when the request implies it', () => {
    expect(offersWrite('mcp:read')).toBe(false);
    expect(offersWrite('mcp:read mcp:write')).toBe(true);
    expect(offersWrite('mcp')).toBe(true);
  });

  it('should grant everything requested, or only mcp:read when writing is unchecked', () => {
    expect(grantedScope('mcp:read mcp:write', true)).toBe('mcp:read mcp:write');
    expect(grantedScope('mcp:read mcp:write', false)).toBe('mcp:read');
    expect(grantedScope('mcp', false)).toBe('mcp:read');
    expect(grantedScope('mcp:read', true)).toBe('mcp:read');
  });

  it('should honour the scope hierarchy when checking a remembered grant', () => {
    expect(scopeCovers('mcp:read mcp:write', 'mcp:read')).toBe(true);
    expect(scopeCovers('mcp:write', 'mcp:read mcp:write')).toBe(true);
    expect(scopeCovers('mcp', 'mcp:read mcp:write')).toBe(true);
    expect(scopeCovers('mcp:read', 'mcp:read mcp:write')).toBe(false);
    expect(scopeCovers('mcp:read mcp:write', 'mcp')).toBe(false);
  });

  it('should force consent only for prompt=consent, alone or in a list', () => {
    expect(forcesConsent('consent')).toBe(true);
    expect(forcesConsent('login consent')).toBe(true);
    expect(forcesConsent('none')).toBe(false);
    expect(forcesConsent('login')).toBe(false);
    expect(forcesConsent(null)).toBe(false);
  });
});

describe('authorizationResponseUri', () => {
  const iss = 'https://app.example.com';

  it('should add code, state and iss with ?', () => {
    expect(authorizationResponseUri('http://127.0.0.1:1/cb', { code: 'c', state: 's', iss })).toBe(
      'http://127.0.0.1:1/cb?code=c&state=s&iss=https%3A%2F%2Fapp.example.com',
    );
  });

  it('should append with & to an existing query and with nothing after a trailing ? or &', () => {
    expect(authorizationResponseUri('https://c.example/cb?x=1', { code: 'c' })).toBe(
      'https://c.example/cb?x=1&code=c',
    );
    expect(authorizationResponseUri('https://c.example/cb?', { code: 'c' })).toBe(
      'https://c.example/cb?code=c',
    );
    expect(authorizationResponseUri('https://c.example/cb?x=1&', { code: 'c' })).toBe(
      'https://c.example/cb?x=1&code=c',
    );
  });

  it('should leave out an absent state and encode a present one exactly', () => {
    expect(
      authorizationResponseUri('cursor://a/cb', { error: 'access_denied', state: null, iss }),
    ).toBe('cursor://a/cb?error=access_denied&iss=https%3A%2F%2Fapp.example.com');
    const state = 'a b&c=d#e<f>"ü';
    const uri = authorizationResponseUri('https://c.example/cb', { code: 'c', state, iss });
    expect(new URL(uri).searchParams.get('state')).toBe(state);
    expect(uri).not.toMatch(/[ #<>"]/);
  });
});

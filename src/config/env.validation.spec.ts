import { buildAppConfig, IN_MEMORY } from 'src/config/app.config';
import { ConfigValidationError, validateEnv } from 'src/config/env.validation';

describe('validateEnv', () => {
  const sut = validateEnv;

  it('should accept an empty environment and apply the documented defaults', () => {
    const config = buildAppConfig(sut({}));
    expect(config.port).toBe(3000);
    expect(config.publicUrl).toBe('http://localhost:3000');
    expect(config.mcpResource).toBe('http://localhost:3000/mcp');
    expect(config.database.kind).toBe('embedded');
    expect(config.seedDemo).toBe(true);
    expect(config.logLevel).toBe('info');
  });

  it('should derive the public URL from PORT and strip a trailing slash from PUBLIC_URL', () => {
    expect(buildAppConfig(sut({ PORT: '8080' })).publicUrl).toBe('http://localhost:8080');
    const c = buildAppConfig(sut({ PUBLIC_URL: 'https://mcp.example.com/' }));
    expect(c.publicUrl).toBe('https://mcp.example.com');
    expect(c.mcpResource).toBe('https://mcp.example.com/mcp');
  });

  it('should default SEED_DEMO to false on PostgreSQL and honour an explicit value', () => {
    expect(buildAppConfig(sut({ DATABASE_URL: 'postgres://u@h/db' })).seedDemo).toBe(false);
    expect(
      buildAppConfig(sut({ DATABASE_URL: 'postgres://u@h/db', SEED_DEMO: 'true' })).seedDemo,
    ).toBe(true);
    expect(buildAppConfig(sut({ SEED_DEMO: 'false' })).seedDemo).toBe(false);
  });

  it.each([
    'http://localhost:3000',
    'http://127.0.0.1:8080/base',
    'http://[::1]:3000',
    'https://10.0.0.5',
  ])('should accept %s as PUBLIC_URL (https, or http on the loopback host)', (url) => {
    expect(buildAppConfig(sut({ PUBLIC_URL: url })).publicUrl).toBe(url);
  });

  it('should keep the embedded database in memory for memory://', () => {
    const c = buildAppConfig(sut({ DATA_DIR: IN_MEMORY }));
    expect(c.database).toEqual({ kind: 'embedded', dataDir: undefined });
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['PUBLIC_URL', 'ftp://example.com'],
    ['PUBLIC_URL', 'https://example.com/?q=1'],
    ['PUBLIC_URL', 'http://mcp.example.com'],
    ['PUBLIC_URL', 'http://10.0.0.5:3000/mcp-catalog'],
    ['DATABASE_URL', 'mysql://localhost/db'],
    ['SEED_DEMO', 'maybe'],
    ['LOG_LEVEL', 'loud'],
    ['DEMO_PASSWORD', 'short'],
  ])('should reject %s=%s with a message naming the variable', (name, value) => {
    expect(() => sut({ [name]: value })).toThrow(ConfigValidationError);
    expect(() => sut({ [name]: value })).toThrow(new RegExp(name));
  });
});

describe('TRUST_PROXY', () => {
  it.each([
    [undefined, false],
    ['false', false],
    ['true', true],
    ['2', 2],
    ['10.0.0.1, 10.0.0.0/8', ['10.0.0.1', '10.0.0.0/8']],
  ])('should read %p as %p', (value, expected) => {
    expect(
      buildAppConfig(validateEnv(value === undefined ? {} : { TRUST_PROXY: value })).trustProxy,
    ).toEqual(expected);
  });

  it('should refuse nonsense', () => {
    expect(() => validateEnv({ TRUST_PROXY: 'everyone' })).toThrow(/TRUST_PROXY/);
  });
});

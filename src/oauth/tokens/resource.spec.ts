import { canonicalResource, sameResource } from 'src/oauth/tokens/resource';

describe('resource indicators', () => {
  const ours = 'https://app.example.com/mcp';

  it('should accept the MCP URL with case-insensitive scheme and host and one trailing slash', () => {
    for (const v of [
      ours,
      `${ours}/`,
      'HTTPS://APP.EXAMPLE.COM/mcp',
      'https://App.Example.com/mcp/',
    ]) {
      expect(sameResource(v, ours)).toBe(true);
    }
  });

  it('should refuse every other value', () => {
    for (const v of [
      'https://app.example.com/MCP',
      `${ours}//`,
      `${ours}/x`,
      `${ours}?a=1`,
      `${ours}#`,
      'https://app.example.com:443/mcp',
      'http://app.example.com/mcp',
      'https://user@app.example.com/mcp',
      'https://app.example.com.evil.example/mcp',
      'https://app.example.com/%6Dcp',
      'https://app.example.com/x/../mcp',
      'app.example.com/mcp',
      '',
      ' https://app.example.com/mcp',
    ]) {
      expect(sameResource(v, ours)).toBe(false);
    }
  });

  it('should give null for values that are not absolute URLs', () => {
    expect(canonicalResource('not a url')).toBeNull();
    expect(canonicalResource('https:///mcp')).toBeNull();
    expect(canonicalResource(`${ours}#frag`)).toBeNull();
  });
});

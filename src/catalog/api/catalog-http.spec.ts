import { wantsYaml } from 'src/catalog/api/catalog-http';

describe('wantsYaml', () => {
  it.each([
    [undefined, false],
    ['application/json', false],
    ['*/*', false],
    ['application/yaml', true],
    ['text/yaml', true],
    ['application/x-yaml, application/json;q=0.5', true],
    ['application/yaml;q=0.2, application/json', false],
    ['application/yaml;q=0', false],
  ])('should answer %s with YAML: %s', (accept, yaml) => {
    expect(wantsYaml(accept)).toBe(yaml);
  });
});

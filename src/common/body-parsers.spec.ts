import { jsonDepth } from 'src/common/body-parsers';

describe('jsonDepth', () => {
  it.each([
    ['1', 0],
    ['{}', 1],
    ['[[[]]]', 3],
    ['{"a":[{"b":1}]}', 3],
    ['{"a":"[[[[[["}', 1],
    ['{"a":"\\"[[[["}', 1],
    ['['.repeat(5000) + ']'.repeat(5000), 5000],
  ])('should measure %s as %d', (text, depth) => {
    expect(jsonDepth(text)).toBe(depth);
  });
});

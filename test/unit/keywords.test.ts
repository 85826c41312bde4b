import { likePattern } from '../../src/services/repositories';

describe('likePattern', () => {
  test('wraps keywords to match anywhere', () => {
    expect(likePattern('nginx')).toBe('%nginx%');
  });

  test.each([
    ['%', '%\\%%'],
    ['a_b', '%a\\_b%'],
    ['a\\b', '%a\\\\b%'],
    ['100%_\\', '%100\\%\\_\\\\%'],
  ])('escapes the LIKE wildcards and the escape character in %p', (keywords, pattern) => {
    expect(likePattern(keywords)).toBe(pattern);
  });
});

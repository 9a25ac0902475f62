import { expect, test } from 'vitest';
import { gitTimestamp } from './push-payload';

test('commit times read as RFC 3339 in the commit offset, as git shows them', () => {
  expect(gitTimestamp(1700000000, '+0000')).toBe('2023-11-14T22:13:20+00:00');
  expect(gitTimestamp(1700000000, '+0530')).toBe('2023-11-15T03:43:20+05:30');
  expect(gitTimestamp(1700000000, '-0700')).toBe('2023-11-14T15:13:20-07:00');
});

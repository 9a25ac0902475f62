import { expect, test } from 'vitest';
import { formatMirrorInterval } from '../services/mirror-interval';
import { parseMirrorInterval } from './mirror-interval';

test('mirror intervals read and write as Go durations', () => {
  expect(parseMirrorInterval('8h0m0s')).toBe(28800);
  expect(parseMirrorInterval('1h30m')).toBe(5400);
  expect(parseMirrorInterval('10m')).toBe(600);
  expect(parseMirrorInterval('0')).toBe(0);
  for (const bad of ['', 'soon', '10', '-1h', '1d']) expect(parseMirrorInterval(bad)).toBeNull();
  expect(formatMirrorInterval(28800)).toBe('8h0m0s');
  expect(formatMirrorInterval(610)).toBe('0h10m10s');
});

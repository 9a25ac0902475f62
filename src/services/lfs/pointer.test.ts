import { describe, expect, it } from 'vitest';
import { parseLfsPointer } from './pointer';

const OID = '4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393';

describe('parseLfsPointer', () => {
  it('reads the pointer git-lfs writes', () => {
    const text = `version https://git-lfs.github.com/spec/v1\noid sha256:${OID}\nsize 12345\n`;
    expect(parseLfsPointer(text)).toEqual({ oid: OID, size: 12345 });
  });

  it('allows extension keys and refuses what is not a pointer', () => {
    const ext = `version https://git-lfs.github.com/spec/v1\next-0-foo sha256:${OID}\noid sha256:${OID}\nsize 1\n`;
    expect(parseLfsPointer(ext)).toEqual({ oid: OID, size: 1 });
    for (const text of [
      `version https://git-lfs.github.com/spec/v1\noid sha256:${OID}\nsize 1`, // no final newline
      `version https://example.com/v1\noid sha256:${OID}\nsize 1\n`,
      `version https://git-lfs.github.com/spec/v1\noid sha256:${OID.toUpperCase()}\nsize 1\n`,
      `version https://git-lfs.github.com/spec/v1\noid sha256:${OID}\n`,
      `version https://git-lfs.github.com/spec/v1\noid sha256:${OID}\nsize -1\n`,
      'hello\n',
    ]) {
      expect(parseLfsPointer(text), text).toBeNull();
    }
  });
});

// Refs hidden from fetches: not in the v0 advertisement of upload-pack, not in the listing ls-refs
// reads, while the unwrapped store (the control) has them all.
import { describe, expect, it } from 'vitest';
import { MemoryRepository } from '../memory/repo';
import { advertiseRefs } from '../protocol/advertise';
import { ZERO_OID } from '../store';
import { withoutHiddenRefs } from './hidden';

const A = 'a'.repeat(40);
const NAMES = ['refs/compare/1234', 'refs/heads/main', 'refs/pull/1/head', 'refs/sync/main'];

async function seeded(): Promise<MemoryRepository> {
  const repo = new MemoryRepository({ agent: 'test/1' });
  await repo.refs.update(
    NAMES.map((name) => ({ name, oldOid: ZERO_OID, newOid: A })),
    { atomic: true },
  );
  return repo;
}

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe('withoutHiddenRefs', () => {
  it('hides the prefixes from listings and the upload-pack advertisement; the store underneath keeps them', async () => {
    const repo = await seeded();
    const hidden = withoutHiddenRefs(repo.refs, ['refs/sync/', 'refs/compare/']);
    expect((await hidden.list()).map((r) => r.name)).toEqual(['refs/heads/main', 'refs/pull/1/head']);
    expect((await hidden.list(['refs/sync/'])).map((r) => r.name)).toEqual([]);
    expect((await repo.refs.list()).map((r) => r.name)).toEqual(NAMES);
    const shown = text(
      await advertiseRefs(
        'git-upload-pack',
        { odb: repo.odb, refs: hidden, newPack: () => repo.newPack(), agent: repo.agent },
        {
          version: 0,
        },
      ),
    );
    expect(shown).toContain('refs/heads/main');
    expect(shown).toContain('refs/pull/1/head');
    expect(shown).not.toContain('refs/sync/');
    expect(shown).not.toContain('refs/compare/');
    const all = text(await advertiseRefs('git-upload-pack', repo, { version: 0 }));
    expect(all).toContain('refs/sync/main');
    expect(all).toContain('refs/compare/1234');
  });
});

// A repository made with real git, loaded into the in-memory stores the engine runs on.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { MemoryPackStore } from '../../src/git/memory/pack-store';
import { MemoryRefStore } from '../../src/git/memory/ref-store';
import { ObjectDatabase } from '../../src/git/odb';
import { indexPack } from '../../src/git/pack/index-pack';
import { ZERO_OID } from '../../src/git/store';
import { chunked, GIT_ENV, git, makeTempDir } from '../helpers/git';

export interface LoadedRepo {
  readonly dir: string;
  readonly odb: ObjectDatabase;
  readonly refs: MemoryRefStore;
}

/** Write files (path -> content; null deletes) and commit them with distinct dates. */
export function commitFiles(
  dir: string,
  message: string,
  files: Record<string, string | Uint8Array | null>,
): string {
  for (const [path, content] of Object.entries(files)) {
    const full = join(dir, path);
    if (content === null) {
      git(dir, ['rm', '-q', '-r', path]);
      continue;
    }
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
    git(dir, ['add', path]);
  }
  // A minute per commit already in the repository: distinct, increasing dates for date-ordered walks.
  const count = Number(git(dir, ['rev-list', '--all', '--count']).trim());
  const date = `${1_700_000_000 + 60 * (count + 1)} +0000`;
  return gitDated(dir, date, ['commit', '-q', '--allow-empty', '-m', message]);
}

/** Run git with author and committer dates set (the shared helper pins one fixed date). */
export function gitDated(dir: string, date: string, args: string[]): string {
  execFileSync('git', args, {
    cwd: dir,
    env: { ...GIT_ENV, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return git(dir, ['rev-parse', 'HEAD']).trim();
}

export function newWorkdir(): string {
  const dir = makeTempDir('gitflare-browse-');
  git(dir, ['init', '-q', '-b', 'main']);
  return dir;
}

/** Pack everything the repository has and index it into memory stores with its refs. */
export async function loadRepo(dir: string): Promise<LoadedRepo> {
  git(dir, ['repack', '-a', '-d', '-q']);
  const packDir = join(dir, '.git', 'objects', 'pack');
  const packFile = readdirSync(packDir).find((f) => f.endsWith('.pack'));
  if (!packFile) throw new Error('no pack produced');
  const pack = new Uint8Array(readFileSync(join(packDir, packFile)));
  const store = new MemoryPackStore();
  const writer = store.newPack();
  await indexPack(chunked(pack, 65536), writer, store);
  store.publish(writer.packId);
  const refs = new MemoryRefStore({ head: 'refs/heads/main' });
  const lines = git(dir, ['for-each-ref', '--format=%(refname) %(objectname)']).trim().split('\n');
  const commands = lines.filter(Boolean).map((l) => {
    const [name, oid] = l.split(' ');
    return { name, oldOid: ZERO_OID, newOid: oid };
  });
  await refs.update(commands, { atomic: true });
  return { dir, odb: new ObjectDatabase(store), refs };
}

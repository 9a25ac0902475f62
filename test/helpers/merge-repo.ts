// Branch scenarios built with real git, loaded into the in-memory stores, and what C git makes of
// them: the reference the merge engine is compared against.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { MemoryPackStore } from '../../src/git/memory/pack-store';
import { MemoryRefStore } from '../../src/git/memory/ref-store';
import { ObjectDatabase } from '../../src/git/odb';
import { indexPack } from '../../src/git/pack/index-pack';
import { ZERO_OID } from '../../src/git/store';
import { chunked, GIT_ENV, git, gitTry, makeTempDir } from './git';

export type Files = Record<string, string | Uint8Array | null>;

export interface Loaded {
  readonly packs: MemoryPackStore;
  readonly refs: MemoryRefStore;
  readonly odb: ObjectDatabase;
}

export class ScenarioRepo {
  readonly dir = makeTempDir('gitflare-merge-');
  private tick = 0;

  constructor() {
    git(this.dir, ['init', '-q', '-b', 'main']);
  }

  /** Write files (null deletes) on the current branch and commit. */
  commit(message: string, files: Files): string {
    for (const [path, content] of Object.entries(files)) {
      const full = join(this.dir, path);
      if (content === null) {
        git(this.dir, ['rm', '-q', '-r', path]);
        continue;
      }
      mkdirSync(dirname(full), { recursive: true });
      rmSync(full, { recursive: true, force: true });
      writeFileSync(full, content);
      git(this.dir, ['add', path]);
    }
    this.run(['commit', '-q', '--allow-empty', '-m', message]);
    return this.rev('HEAD');
  }

  /** Run git with increasing dates, so history order is well defined. */
  run(args: string[]): string {
    this.tick++;
    const date = `${1_700_000_000 + 60 * this.tick} +0000`;
    return execFileSync('git', args, {
      cwd: this.dir,
      env: { ...GIT_ENV, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  }

  /** Make a file executable (the mode change is committed with the next commit). */
  makeExecutable(path: string): void {
    chmodSync(join(this.dir, path), 0o755);
    git(this.dir, ['add', path]);
  }

  checkout(branch: string, create = false): void {
    git(this.dir, create ? ['checkout', '-q', '-b', branch] : ['checkout', '-q', branch]);
  }

  rev(name: string): string {
    return git(this.dir, ['rev-parse', name]).trim();
  }

  /** Every object and branch, in fresh memory stores (refs publish packs as in the DO). */
  async load(): Promise<Loaded> {
    git(this.dir, ['repack', '-a', '-d', '-q']);
    const packDir = join(this.dir, '.git', 'objects', 'pack');
    const file = readdirSync(packDir).find((f) => f.endsWith('.pack'));
    if (!file) throw new Error('no pack');
    const packs = new MemoryPackStore();
    const writer = packs.newPack();
    await indexPack(chunked(new Uint8Array(readFileSync(join(packDir, file))), 65536), writer, packs);
    packs.publish(writer.packId);
    const refs = new MemoryRefStore({ head: 'refs/heads/main', packs });
    const lines = git(this.dir, ['for-each-ref', '--format=%(refname) %(objectname)', 'refs/heads/'])
      .trim()
      .split('\n');
    await refs.update(
      lines.map((l) => {
        const [name, oid] = l.split(' ');
        return { name, oldOid: ZERO_OID, newOid: oid };
      }),
      { atomic: true },
    );
    return { packs, refs, odb: new ObjectDatabase(packs) };
  }

  /** What C git makes of merging `head` into `base` in a style, on a scratch branch. */
  gitMerge(
    style: 'merge' | 'squash' | 'rebase' | 'fast-forward-only',
    base: string,
    head: string,
  ): GitOutcome {
    const scratch = `scratch-${this.tick}`;
    try {
      if (style === 'rebase') {
        git(this.dir, ['checkout', '-q', '-b', scratch, head]);
        const r = this.tryRun(['rebase', '-q', base]);
        if (r.code !== 0) {
          const paths = this.unmerged();
          git(this.dir, ['rebase', '--abort']);
          return { ok: false, paths };
        }
      } else {
        git(this.dir, ['checkout', '-q', '-b', scratch, base]);
        const args =
          style === 'merge'
            ? ['merge', '-q', '--no-ff', '-m', 'merge', head]
            : style === 'squash'
              ? ['merge', '-q', '--squash', head]
              : ['merge', '-q', '--ff-only', head];
        const r = this.tryRun(args);
        if (r.code !== 0) {
          const paths = this.unmerged();
          if (style !== 'fast-forward-only') this.tryRun(['merge', '--abort']);
          git(this.dir, ['reset', '-q', '--hard']);
          return { ok: false, paths };
        }
        if (style === 'squash') this.run(['commit', '-q', '--allow-empty', '-m', 'squash']);
      }
      const tip = this.rev('HEAD');
      return {
        ok: true,
        tree: this.rev('HEAD^{tree}'),
        parents: git(this.dir, ['rev-list', '--parents', '-n', '1', tip]).trim().split(' ').slice(1),
        count: Number(git(this.dir, ['rev-list', '--count', `${base}..${tip}`]).trim()),
        tip,
      };
    } finally {
      git(this.dir, ['checkout', '-q', '-f', 'main']);
      git(this.dir, ['branch', '-q', '-D', scratch]);
    }
  }

  private tryRun(args: string[]) {
    return gitTry(this.dir, args);
  }

  private unmerged(): string[] {
    return git(this.dir, ['diff', '--name-only', '--diff-filter=U'])
      .trim()
      .split('\n')
      .filter(Boolean)
      .sort();
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export type GitOutcome =
  | { ok: true; tree: string; parents: string[]; count: number; tip: string }
  | { ok: false; paths: string[] };

// The compare page across repositories, `/{owner}/{repo}/compare/{base}...{forkowner}:{branch}`:
// who sees it (upstream and fork each public or private, every kind of caller), what it shows
// (the fork's commits, the diff, "Able to merge", the form), its 404s, and that the ref the
// comparison fetches into the upstream is seen by no fetch afterwards.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  type Auth,
  asCookie,
  asToken,
  authUrl,
  call,
  createToken,
  createUser,
  type GitUser,
} from '../helpers/accounts';
import { forkOf, repoWithHistory } from '../helpers/forks';
import { git, gitAsync, makeRepo, TempDirs } from '../helpers/git';
import { grant } from '../helpers/repo-setup';
import { serverUrl } from '../helpers/server';

const base = serverUrl();
const dirs = new TempDirs();
let source: string;

beforeAll(() => {
  source = dirs.keep(makeRepo(20));
});
afterAll(() => dirs.removeAll());

/** Commits `file` on the fixture's main in a scratch work tree and pushes it as `branch` to `url`. */
async function pushBranch(url: string, branch: string, file: string, text: string, message: string) {
  const wt = join(dirs.make(), 'wt');
  git(source, ['clone', '-q', '-b', 'main', source, wt]);
  writeFileSync(join(wt, file), text);
  git(wt, ['add', '-A']);
  git(wt, ['commit', '-q', '-m', message]);
  await gitAsync(wt, ['push', '-q', url, `HEAD:refs/heads/${branch}`]);
  return git(wt, ['rev-parse', 'HEAD']).trim();
}

/** Every ref a fetch sees, by name. */
async function fetchRefs(url: string): Promise<string[]> {
  const out = await gitAsync(source, ['ls-remote', url]);
  return out
    .trim()
    .split('\n')
    .map((l) => l.split('\t')[1]);
}

const WHO = [
  'anonymous',
  'lackingScope',
  'stranger',
  'reader',
  'writer',
  'admin',
  'owner',
  'forker',
] as const;
type Who = (typeof WHO)[number];

// The upstream's collaborators (reader, writer, admin) and owner read it; a private fork is read by
// its owner (the forker) and its collaborators: the reader is one, the others are not.
const EXPECTED: Record<'public' | 'private', Record<Who, number>> = {
  public: {
    anonymous: 200,
    lackingScope: 200,
    stranger: 200,
    reader: 200,
    writer: 200,
    admin: 200,
    owner: 200,
    forker: 200,
  },
  private: {
    anonymous: 404,
    lackingScope: 404,
    stranger: 404,
    reader: 200,
    writer: 404,
    admin: 404,
    owner: 404,
    forker: 200,
  },
};

describe('the cross-repository compare page', () => {
  const users = {} as Record<Exclude<Who, 'anonymous' | 'lackingScope'>, GitUser>;
  const auths = {} as Record<Who, Auth>;

  beforeAll(async () => {
    const names = ['stranger', 'reader', 'writer', 'admin', 'owner', 'forker'] as const;
    const made = await Promise.all(names.map((n) => createUser(base, `cmp-${n}`)));
    names.forEach((n, i) => {
      users[n] = made[i];
      auths[n] = asToken(made[i].token);
    });
    auths.anonymous = null;
    // The reader by session, as a browser would come.
    auths.reader = asCookie(users.reader);
    // The forker's token that may not read repositories: it sees what anonymous sees.
    auths.lackingScope = asToken((await createToken(base, users.forker, { scopes: ['read:user'] })).sha1);
  });

  for (const visibility of ['public', 'private'] as const) {
    test(`${visibility} upstream and fork: who sees the comparison, and what it shows`, async () => {
      const { name } = await repoWithHistory(base, users.owner, source, {
        prefix: 'cmp',
        private: visibility === 'private',
      });
      await grant(base, users.owner, name, users.reader, 'read');
      await grant(base, users.owner, name, users.writer, 'write');
      await grant(base, users.owner, name, users.admin, 'admin');
      await grant(base, users.owner, name, users.forker, 'read');
      await forkOf(base, users.forker, users.owner.username, name);
      await grant(base, users.forker, name, users.reader, 'read');
      const forkUrl = authUrl(base, users.forker, users.forker.username, name);
      await pushBranch(forkUrl, 'feature', 'compare-me.txt', 'from the fork\n', 'Compare me across forks');

      const path = `/${users.owner.username}/${name}/compare/main...${users.forker.username}:feature`;
      const got = {} as Record<Who, number>;
      for (const who of WHO) {
        const r = await call<string>(base, 'GET', path, { auth: auths[who] });
        got[who] = r.status;
        if (r.status === 200) {
          expect(r.body, who).toContain('Compare me across forks');
          expect(r.body, who).toContain('compare-me.txt');
          expect(r.body, who).toContain('data-status="mergeable"');
          expect(r.body, who).toContain(`${users.forker.username}:feature`);
        } else expect(r.body, who).not.toContain('Compare me across forks');
      }
      expect(got).toEqual(EXPECTED[visibility]);
    });
  }

  test('404s: an unknown fork owner, a branch the fork lacks, a base the upstream lacks; the other spellings', async () => {
    const { owner, forker } = users;
    const { name, url } = await repoWithHistory(base, owner, source, { prefix: 'cmp404' });
    await forkOf(base, forker, owner.username, name);
    const forkUrl = authUrl(base, forker, forker.username, name);
    await pushBranch(forkUrl, 'topic', 'topic.txt', 'topic\n', 'Topic from the fork');
    const page = (spec: string) =>
      call<string>(base, 'GET', `/${owner.username}/${name}/compare/${spec}`, { auth: asCookie(forker) });
    // Positive controls: the three spellings of the same head, and the head alone (base: default).
    for (const spec of [
      `main...${forker.username}:topic`,
      `main...${forker.username}/${name}:topic`,
      `${forker.username}:topic`,
    ]) {
      const r = await page(spec);
      expect(r.status, spec).toBe(200);
      expect(r.body, spec).toContain('Topic from the fork');
    }
    for (const spec of [
      `main...nobody-${Date.now()}:topic`,
      `main...${users.stranger.username}:topic`,
      `main...${forker.username}:no-such-branch`,
      `no-such-base...${forker.username}:topic`,
    ]) {
      const r = await page(spec);
      expect(r.status, spec).toBe(404);
      expect(r.body, spec).not.toContain('Topic from the fork');
    }
    // The comparison's own ref is gone: no fetch of the upstream sees refs/compare/ (nor refs/sync/).
    const refs = await fetchRefs(url);
    expect(refs).toContain('refs/heads/main');
    expect(refs.filter((r) => r.startsWith('refs/compare/') || r.startsWith('refs/sync/'))).toEqual([]);
  });
});

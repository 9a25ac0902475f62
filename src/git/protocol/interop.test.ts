/**
 * The fetch side against git itself: every scenario of test/helpers/interop/cases.ts runs with
 * the git CLI over v0, v1 and v2 against the engine (Node test server) and against a file://
 * copy, and the clients must end up the same (refs, commits, shallow file, missing objects).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { git, makeRepo, makeTempDir, removeDir } from '../../../test/helpers/git';
import { readOnlyCases } from '../../../test/helpers/interop/cases';
import { type ClientState, runScript, type Version } from '../../../test/helpers/interop/compare';
import { checkIncrementalFetch } from '../../../test/helpers/interop/incremental';
import { gitOk, type NodeGitServer, startNodeGitServer } from '../../../test/helpers/node-git-server';

let server: NodeGitServer;
let mirror: string;
let url: string;
let work: string;
const dirs: string[] = [];
const VERSIONS: Version[] = [0, 1, 2];

beforeAll(async () => {
  server = await startNodeGitServer();
  const source = makeRepo(200);
  const root = makeTempDir();
  dirs.push(source, root);
  mirror = join(root, 'mirror.git');
  git(root, ['clone', '-q', '--mirror', source, mirror]);
  // git's own server, configured as ours behaves: filters and fetch by reachable id allowed.
  git(mirror, ['config', 'uploadpack.allowFilter', 'true']);
  git(mirror, ['config', 'uploadpack.allowReachableSHA1InWant', 'true']);
  url = `${server.url}/interop.git`;
  await gitOk(mirror, ['push', '-q', '--mirror', url]);
  work = join(root, 'work');
  git(root, ['clone', '-q', mirror, work]);
}, 120_000);
afterAll(async () => {
  // Removing the many clones takes a while on a busy machine.
  for (const d of dirs) removeDir(d);
  await server.close();
}, 120_000);

const fixture = () => {
  const t = Number(git(mirror, ['log', '-1', '--format=%ct', 'main~30']).trim());
  return {
    since: new Date(t * 1000).toISOString(),
    innerCommit: git(mirror, ['rev-parse', 'main~17']).trim(),
  };
};

function same(ours: ClientState, theirs: ClientState): void {
  expect(ours.refs).toBe(theirs.refs);
  expect(ours.commits).toBe(theirs.commits);
  expect(ours.shallow).toBe(theirs.shallow);
  expect(ours.missing).toBe(theirs.missing);
  expect(ours.notes).toEqual(theirs.notes);
}

describe('git CLI gets the same from the engine as from git (file://)', () => {
  for (const version of VERSIONS) {
    describe(`protocol v${version}`, () => {
      for (const c of readOnlyCases({ since: '2020-09-13T15:29:42.000Z', innerCommit: '' })) {
        it(c.name, async () => {
          const script = readOnlyCases(fixture()).find((x) => x.name === c.name)?.script;
          if (!script) throw new Error(`no case ${c.name}`);
          const ours = await runScript(url, version, script);
          const theirs = await runScript(`file://${mirror}`, version, script);
          dirs.push(ours.dir, theirs.dir);
          same(ours, theirs);
        });
      }
    });
  }
});

describe('after the repository moves on', () => {
  it('incremental fetch sends only what is new; a shallow clone fetches into its boundary', async () => {
    await checkIncrementalFetch(
      {
        ours: url,
        reference: `file://${mirror}`,
        work,
        pushTargets: [mirror, url],
        versions: VERSIONS,
        dirs,
      },
      'engine',
    );
  });
});

describe('empty repository', () => {
  for (const version of VERSIONS) {
    it(`clones with an unborn HEAD (v${version})`, async () => {
      const ref = makeTempDir();
      dirs.push(ref);
      git(ref, ['init', '-q', '--bare', '-b', 'main', 'e.git']);
      const script = async (c: {
        git(a: readonly string[], cwd?: string): Promise<string>;
        note(v: string): void;
        dir: string;
        url: string;
      }) => {
        await c.git(['clone', '-q', c.url, 'c']);
        c.note(await c.git(['symbolic-ref', 'HEAD'], join(c.dir, 'c')));
      };
      const ours = await runScript(`${server.url}/empty-${version}.git`, version, script);
      const theirs = await runScript(`file://${join(ref, 'e.git')}`, version, script);
      dirs.push(ours.dir, theirs.dir);
      same(ours, theirs);
    });
  }
});

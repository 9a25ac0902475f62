// Renovate (npm `renovate`, pinned, unpatched, platform `gitea`) against the real server, on a
// repository with outdated npm dependencies looked up in a small npm registry this test serves on
// 127.0.0.1: it pushes its branches and opens labelled pull requests, asks for Gitea-native
// auto-merge on the one its config marks `automerge` (merged by the server once the base's
// required check succeeds), and rebases the other when the base branch moves. Renovate is
// installed outside the project by the e2e global setup, in the background
// (test/helpers/renovate-install.ts); RENOVATE_BIN names another executable, RENOVATE_SKIP=1 skips.
//
// The replay test always runs: the API calls of Renovate's first run, recorded
// (test/fixtures/renovate-calls.json; RENOVATE_RECORD=1 rewrites it), are asked again of a
// repository in the same state, each answer checked for its status and the fields Renovate reads.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { type Auth, asToken, authUrl, call, createRepo, createUser, uniqueName } from '../helpers/accounts';
import { git, TempDirs } from '../helpers/git';
import {
  filled,
  missingFields,
  RENOVATE_READS,
  type RecordedCall,
  recordingProxy,
} from '../helpers/renovate-calls';
import { RENOVATE_VERSION, renovateBin } from '../helpers/renovate-install';
import { serverUrl } from '../helpers/server';
import { waitFor } from '../helpers/wait';

const base = serverUrl();
const dirs = new TempDirs();
const FIXTURE = join(import.meta.dirname, '../fixtures/renovate-calls.json');
/** The base branch's rule: one required check, so an auto-merge waits for it. */
const CHECK = 'ci/test';

/** Two packages, each with an old version the repository pins and a newer one. */
const PACKAGES: Record<string, string[]> = { 'is-number': ['6.0.0', '7.0.0'], 'is-odd': ['2.0.0', '3.0.1'] };

function registry(): Promise<{ server: Server; url: string; asked: string[] }> {
  const asked: string[] = [];
  const server = createServer((req, res) => {
    const name = decodeURIComponent((req.url ?? '/').slice(1).split('?')[0]);
    asked.push(name);
    const versions = PACKAGES[name];
    if (!versions) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
      return;
    }
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const body = {
      name,
      'dist-tags': { latest: versions[versions.length - 1] },
      versions: Object.fromEntries(
        versions.map((v) => [
          v,
          { name, version: v, dist: { tarball: `${url}/${name}/-/${name}-${v}.tgz` } },
        ]),
      ),
      time: Object.fromEntries(versions.map((v, i) => [v, new Date(Date.UTC(2020 + i, 0, 1)).toISOString()])),
    };
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, asked }),
    ),
  );
}

afterAll(() => dirs.removeAll());

const packageJson = (deps: Record<string, string>) =>
  `${JSON.stringify({ name: 'app', version: '1.0.0', private: true, dependencies: deps }, null, 2)}\n`;

/** A repository as Renovate finds it: package.json with old pins on `main`, a `dependencies`
 * label, and a rule on `main` requiring the check CHECK (pushes allowed). */
async function depsRepo() {
  const owner = await createUser(base, 'renovate');
  const name = uniqueName('deps');
  const auth = asToken(owner.token);
  await createRepo(base, auth, name);
  const path = `/api/v1/repos/${owner.username}/${name}`;
  const label = await call<{ id: number }>(base, 'POST', `${path}/labels`, {
    auth,
    json: { name: 'dependencies', color: '#0366d6' },
  });
  expect(label.status).toBe(201);
  const dir = dirs.make();
  git(dir, ['init', '-q', '-b', 'main']);
  writeFileSync(join(dir, 'package.json'), packageJson({ 'is-number': '6.0.0', 'is-odd': '2.0.0' }));
  git(dir, ['add', '.']);
  git(dir, ['commit', '-q', '-m', 'app']);
  const url = authUrl(base, owner, owner.username, name);
  git(dir, ['push', '-q', url, 'main']);
  const rule = await call(base, 'POST', `${path}/branch_protections`, {
    auth,
    json: { rule_name: 'main', enable_push: true, enable_status_check: true, status_check_contexts: [CHECK] },
  });
  expect(rule.status).toBe(201);
  return { owner, name, auth, path, dir, url, label: label.body.id };
}

type Pull = {
  number: number;
  merged: boolean;
  state: string;
  head: { ref: string; sha: string };
  labels: { name: string }[];
};

/** CI reports CHECK's success on a scheduled pull request's head; the server's auto-merge merges it. */
async function checkSucceeds(repo: { path: string; auth: Auth }, pull: Pull): Promise<void> {
  const { path, auth } = repo;
  const ok = await call(base, 'POST', `${path}/statuses/${pull.head.sha}`, {
    auth,
    json: { state: 'success', context: CHECK },
  });
  expect(ok.status).toBe(201);
  await waitFor(`pull request #${pull.number} merged`, async () => {
    const p = await call<Pull>(base, 'GET', `${path}/pulls/${pull.number}`, { auth });
    return p.body.merged;
  });
}

/** The recorded calls: Renovate's first run, and its second after the auto-merge and a push to main. */
interface Recording {
  renovate: string;
  runs: RecordedCall[][];
}

describe('Renovate calls replayed (no Renovate needed)', () => {
  test('each call of a recorded Renovate run answers as then, with the fields Renovate reads', async () => {
    const recording = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Recording;
    expect(recording.runs.length).toBe(2);
    const repo = await depsRepo();
    const { dir, url, path, auth } = repo;
    // Renovate's two update branches, as its first run pushed them.
    for (const [branch, deps] of [
      ['renovate/is-number-7.x', { 'is-number': '7.0.0', 'is-odd': '2.0.0' }],
      ['renovate/is-odd-3.x', { 'is-number': '6.0.0', 'is-odd': '3.0.1' }],
    ] as const) {
      git(dir, ['checkout', '-q', '-B', branch, 'main']);
      writeFileSync(join(dir, 'package.json'), packageJson(deps));
      git(dir, ['commit', '-q', '-am', `Update ${branch}`]);
      git(dir, ['push', '-q', url, branch]);
    }
    const shaOf = (branch: string) => git(dir, ['rev-parse', branch === '?' ? 'main' : branch]).trim();
    const names = { owner: repo.owner.username, repo: repo.name, label: repo.label };
    let checked = 0;
    const replay = async (calls: RecordedCall[]) => {
      for (const recorded of calls) {
        const at = filled(recorded.url, names, shaOf);
        const json =
          recorded.body === null
            ? undefined
            : JSON.parse(filled(JSON.stringify(recorded.body), names, shaOf));
        const res = await call(base, recorded.method, at, { auth, json });
        const what = `${recorded.method} ${recorded.url}`;
        expect(res.status, `${what}: ${JSON.stringify(res.body)}`).toBe(recorded.status);
        if (res.status >= 300) continue;
        const reads = RENOVATE_READS.find(([m, re]) => m === recorded.method && re.test(at.split('?')[0]));
        if (!reads) continue;
        expect(missingFields(res.body, reads[2]), what).toEqual([]);
        // Renovate asks for Gitea-native auto-merge only from 1.24.0 on.
        if (at === '/api/v1/version') {
          const [major, minor] = String((res.body as { version: string }).version)
            .split('.')
            .map(Number);
          expect(major * 1000 + minor, JSON.stringify(res.body)).toBeGreaterThanOrEqual(1024);
        }
        checked++;
      }
    };
    await replay(recording.runs[0]);
    // What happened between the runs: the check succeeded (the replayed auto-merge request merges
    // the pull request), main moved, and Renovate rebased its other branch.
    const odd = (await call<Pull[]>(base, 'GET', `${path}/pulls?state=open`, { auth })).body.find(
      (p) => p.head.ref === 'renovate/is-odd-3.x',
    );
    expect(odd).toBeDefined();
    await checkSucceeds(repo, odd as Pull);
    git(dir, ['fetch', '-q', url, 'main']);
    git(dir, ['checkout', '-q', '-B', 'main', 'FETCH_HEAD']);
    writeFileSync(join(dir, 'README.md'), 'app\n');
    git(dir, ['add', '.']);
    git(dir, ['commit', '-q', '-m', 'readme']);
    git(dir, ['push', '-q', url, 'main']);
    git(dir, ['checkout', '-q', '-B', 'renovate/is-number-7.x', 'main']);
    writeFileSync(join(dir, 'package.json'), packageJson({ 'is-number': '7.0.0', 'is-odd': '3.0.1' }));
    git(dir, ['commit', '-q', '-am', 'Update is-number']);
    git(dir, ['push', '-q', '-f', url, 'renovate/is-number-7.x']);
    await replay(recording.runs[1]);
    // The replay reached the calls that matter: pull requests read and opened, the auto-merge asked.
    expect(checked).toBeGreaterThan(5);
    const first = recording.runs[0];
    expect(first.filter((c) => c.method === 'POST' && c.url.endsWith('/pulls')).length).toBe(2);
    const merge = first.find((c) => c.method === 'POST' && c.url.endsWith('/merge'));
    expect(merge?.body).toMatchObject({ merge_when_checks_succeed: true, delete_branch_after_merge: true });
    expect(merge?.status).toBe(201);
  });
});

describe.skipIf(process.env.RENOVATE_SKIP === '1')('Renovate end to end', () => {
  test('opens labelled pull requests, auto-merges one when the check succeeds and rebases the other when the base moves', async () => {
    const bin = await renovateBin();
    const repo = await depsRepo();
    const { path, auth, dir, url } = repo;
    const npm = await registry();
    const proxy = await recordingProxy(base, {
      owner: repo.owner.username,
      repo: repo.name,
      label: repo.label,
    });
    const work = dirs.make();
    const config = join(work, 'config.json');
    writeFileSync(
      config,
      JSON.stringify({
        platform: 'gitea',
        endpoint: `${proxy.url}/api/v1/`,
        token: repo.owner.token,
        repositories: [`${repo.owner.username}/${repo.name}`],
        onboarding: false,
        requireConfig: 'optional',
        gitAuthor: 'Renovate Bot <bot@example.com>',
        labels: ['dependencies'],
        prHourlyLimit: 0,
        prConcurrentLimit: 0,
        branchConcurrentLimit: 0,
        fetchChangeLogs: 'off',
        rebaseWhen: 'behind-base-branch',
        baseDir: join(work, 'base'),
        cacheDir: join(work, 'cache'),
        packageRules: [
          { matchDatasources: ['npm'], registryUrls: [npm.url] },
          { matchPackageNames: ['is-odd'], automerge: true, platformAutomerge: true },
        ],
      }),
    );
    // Asynchronous: the fake registry and the proxy answer from this process while Renovate runs.
    const run = async () => {
      const child = spawn(bin, [], {
        env: { ...process.env, RENOVATE_CONFIG_FILE: config, LOG_LEVEL: 'debug' },
      });
      let out = '';
      child.stdout.on('data', (d) => {
        out += d;
      });
      child.stderr.on('data', (d) => {
        out += d;
      });
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      const logDir = process.env.RENOVATE_LOG_DIR;
      if (logDir) writeFileSync(join(logDir, `renovate-${Date.now()}.log`), out);
      expect(code, out.slice(-4000)).toBe(0);
      return out;
    };
    const pullsByRef = async () => {
      const pulls = await call<Pull[]>(base, 'GET', `${path}/pulls?state=all`, { auth });
      return new Map(pulls.body.map((p) => [p.head.ref, p]));
    };
    try {
      const log = await run();
      expect(npm.asked).toEqual(expect.arrayContaining(['is-number', 'is-odd']));
      expect(log).toContain('Gitea-native automerge: success');
      const firstRun = proxy.calls.length;
      let byRef = await pullsByRef();
      const number = byRef.get('renovate/is-number-7.x');
      const odd = byRef.get('renovate/is-odd-3.x');
      expect(number, JSON.stringify([...byRef.values()])).toBeDefined();
      expect(odd, JSON.stringify([...byRef.values()])).toBeDefined();
      for (const p of [number, odd]) {
        expect(p?.labels.map((l) => l.name)).toEqual(['dependencies']);
        // Pushed with git: the branch's package.json carries the update.
        git(dir, ['fetch', '-q', url, p?.head.ref ?? '']);
        expect(p?.head.sha).toBe(git(dir, ['rev-parse', 'FETCH_HEAD']).trim());
      }
      expect(JSON.parse(git(dir, ['show', 'FETCH_HEAD:package.json'])).dependencies['is-odd']).toBe('3.0.1');
      // The auto-merge waits for the rule's check: nothing merged yet.
      expect(number).toMatchObject({ state: 'open', merged: false });
      expect(odd).toMatchObject({ state: 'open', merged: false });

      // CI reports success on the automerge pull request's head: the server merges it.
      await checkSucceeds(repo, odd as Pull);
      git(dir, ['fetch', '-q', url, 'main']);
      expect(JSON.parse(git(dir, ['show', 'FETCH_HEAD:package.json'])).dependencies).toEqual({
        'is-number': '6.0.0',
        'is-odd': '3.0.1',
      });
      // delete_branch_after_merge, as Renovate asked.
      const gone = await call(base, 'GET', `${path}/branches/${encodeURIComponent('renovate/is-odd-3.x')}`, {
        auth,
      });
      expect(gone.status).toBe(404);
      byRef = await pullsByRef();
      expect(byRef.get('renovate/is-number-7.x')).toMatchObject({ state: 'open', merged: false });

      // The base moves again; the next run rebases the open pull request's branch onto it.
      git(dir, ['checkout', '-q', '-B', 'main', 'FETCH_HEAD']);
      writeFileSync(join(dir, 'README.md'), 'app\n');
      git(dir, ['add', '.']);
      git(dir, ['commit', '-q', '-m', 'readme']);
      git(dir, ['push', '-q', url, 'main']);
      const newMain = git(dir, ['rev-parse', 'HEAD']).trim();
      await run();
      if (process.env.RENOVATE_RECORD === '1') {
        const runs = [proxy.calls.slice(0, firstRun), proxy.calls.slice(firstRun)];
        const recording: Recording = { renovate: RENOVATE_VERSION, runs };
        writeFileSync(FIXTURE, `${JSON.stringify(recording, null, 2)}\n`);
      }
      git(dir, ['fetch', '-q', url, 'renovate/is-number-7.x']);
      expect(git(dir, ['rev-parse', 'FETCH_HEAD^']).trim()).toBe(newMain);
      expect(JSON.parse(git(dir, ['show', 'FETCH_HEAD:package.json'])).dependencies).toEqual({
        'is-number': '7.0.0',
        'is-odd': '3.0.1',
      });
      const after = await call<Pull>(base, 'GET', `${path}/pulls/${number?.number}`, { auth });
      expect(after.body).toMatchObject({ state: 'open', merged: false });
      expect(after.body.head.sha).toBe(git(dir, ['rev-parse', 'FETCH_HEAD']).trim());
    } finally {
      npm.server.close();
      proxy.server.close();
    }
  }, 1_800_000);
});

// Releases through the API as Gitea's clients use it: tags created from a target through the
// repository's ref rules, assets uploaded as a multipart form (and as a raw body), streamed to R2
// and downloaded byte for byte with a count, the size cap, "latest", drafts seen by writers only;
// then the authorization matrix of every endpoint and page.
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  type Auth,
  asCookie,
  asToken,
  authUrl,
  call,
  createRepo,
  createToken,
  createUser,
  type GitUser,
  signUp,
  type TestUser,
  uniqueName,
} from '../helpers/accounts';
import { answerDespiteReset } from '../helpers/early-answer';
import { git, TempDirs } from '../helpers/git';
import { grantOn } from '../helpers/repo-setup';
import { serverUrl } from '../helpers/server';

const base = serverUrl();
/** The test servers' MAX_ASSET_BYTES (test/e2e/server-process.ts). */
const CAP = 12 * 1024 * 1024;

interface AssetJson {
  id: number;
  name: string;
  size: number;
  download_count: number;
  browser_download_url: string;
}
interface ReleaseJson {
  id: number;
  tag_name: string;
  target_commitish: string;
  name: string;
  body: string;
  draft: boolean;
  prerelease: boolean;
  html_url: string;
  tarball_url: string;
  zipball_url: string;
  upload_url: string;
  url: string;
  published_at: string | null;
  author: { login: string };
  assets: AssetJson[];
}

let owner: GitUser;
const temp = new TempDirs();
afterAll(() => temp.removeAll());
const heads: Record<string, string> = {};

/** A repository of `owner` with two commits on main and one on `side`; their ids in `heads`. */
async function pushedRepo(name: string, opts: { private?: boolean } = {}): Promise<string> {
  const repo = await createRepo(base, owner, name, opts);
  const dir = temp.make();
  git(dir, ['init', '-q', '-b', 'main']);
  git(dir, ['commit', '-q', '--allow-empty', '-m', 'one']);
  git(dir, ['commit', '-q', '--allow-empty', '-m', 'two']);
  heads.main = git(dir, ['rev-parse', 'HEAD']).trim();
  git(dir, ['checkout', '-q', '-b', 'side', 'HEAD~1']);
  git(dir, ['commit', '-q', '--allow-empty', '-m', 'side']);
  heads.side = git(dir, ['rev-parse', 'HEAD']).trim();
  git(dir, ['push', '-q', authUrl(base, owner, owner.username, name), 'main', 'side']);
  return repo.full_name;
}

const api = (full: string) => `/api/v1/repos/${full}`;

function tagsOf(full: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = git(tmpdir(), [
    'ls-remote',
    '--tags',
    authUrl(base, owner, ...(full.split('/') as [string, string])),
  ]);
  for (const line of lines.trim().split('\n').filter(Boolean)) {
    const [oid, ref] = line.split('\t');
    out[ref.replace('refs/tags/', '')] = oid;
  }
  return out;
}

async function upload(
  full: string,
  releaseId: number,
  bytes: Uint8Array,
  opts: { auth?: Auth; name?: string; filename?: string; raw?: boolean } = {},
): Promise<{ status: number; body: AssetJson & { message?: string } }> {
  const query = opts.name === undefined ? '' : `?name=${encodeURIComponent(opts.name)}`;
  // The repository's owner unless the caller says otherwise (null: anonymous).
  const auth = opts.auth === undefined ? asToken(owner.token) : opts.auth;
  const headers: Record<string, string> = { ...(auth ?? {}) };
  let body: BodyInit;
  if (opts.raw) {
    headers['content-type'] = 'application/octet-stream';
    body = bytes as Uint8Array<ArrayBuffer>;
  } else {
    const form = new FormData();
    form.append('attachment', new Blob([bytes as Uint8Array<ArrayBuffer>]), opts.filename ?? 'file.bin');
    body = form;
  }
  const res = await fetch(`${base}${api(full)}/releases/${releaseId}/assets${query}`, {
    method: 'POST',
    headers,
    body,
  });
  return { status: res.status, body: await res.json() };
}

describe('releases API', () => {
  let full: string;
  let auth: Auth;

  beforeAll(async () => {
    owner = await createUser(base, 'rel');
    auth = asToken(owner.token);
    full = await pushedRepo(uniqueName('rel'));
  }, 120_000);

  const create = (json: Record<string, unknown>, as: Auth = auth) =>
    call<ReleaseJson & { message?: string }>(base, 'POST', `${api(full)}/releases`, { auth: as, json });

  test('a release whose tag is missing creates it from target_commitish (default: the default branch)', async () => {
    const r = await create({ tag_name: 'v1.0', name: 'First', body: 'Notes **bold**' });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      tag_name: 'v1.0',
      target_commitish: 'main',
      name: 'First',
      body: 'Notes **bold**',
      draft: false,
      prerelease: false,
      author: { login: owner.username },
      assets: [],
    });
    expect(r.body.html_url).toBe(`${base}/${full}/releases/tag/v1.0`);
    expect(r.body.tarball_url).toBe(`${base}/${full}/archive/v1.0.tar.gz`);
    expect(r.body.zipball_url).toBe(`${base}/${full}/archive/v1.0.zip`);
    expect(r.body.upload_url).toBe(`${base}${api(full)}/releases/${r.body.id}/assets`);
    expect(r.body.published_at).not.toBeNull();
    const side = await create({ tag_name: 'nested/v1.1-side', target_commitish: 'side' });
    expect(side.status).toBe(201);
    const byCommit = await create({ tag_name: 'v0.9', target_commitish: heads.side.slice(0, 12) });
    expect(byCommit.status).toBe(201);
    const tags = tagsOf(full);
    expect(tags['v1.0']).toBe(heads.main);
    expect(tags['nested/v1.1-side']).toBe(heads.side);
    expect(tags['v0.9']).toBe(heads.side);
    // Its source archive is served.
    const zip = await fetch(r.body.zipball_url, { headers: { authorization: `token ${owner.token}` } });
    expect(zip.status).toBe(200);
    expect(zip.headers.get('content-type')).toBe('application/zip');
    await zip.arrayBuffer();
    // By tag (with a slash in it) and by id.
    const byTag = await call<ReleaseJson>(base, 'GET', `${api(full)}/releases/tags/nested/v1.1-side`, {
      auth,
    });
    expect(byTag.status).toBe(200);
    expect(byTag.body.id).toBe(side.body.id);
    const byId = await call<ReleaseJson>(base, 'GET', `${api(full)}/releases/${r.body.id}`);
    expect(byId.body.tag_name).toBe('v1.0');
  });

  test('refusals: a tag with a release, a bad tag name, a target that names nothing; none leaves a tag or release', async () => {
    expect((await create({ tag_name: 'dup' })).status).toBe(201);
    const dup = await create({ tag_name: 'dup' });
    expect(dup.status).toBe(409);
    expect(dup.body.message).toMatch(/exists/);
    for (const bad of ['a..b', 'x.lock', 'sp ace', '', 'nested']) {
      const r = await create({ tag_name: bad });
      expect(r.status, bad).toBe(422);
      expect(r.body.message, bad).toEqual(expect.any(String));
    }
    const missing = await create({ tag_name: 'from-nowhere', target_commitish: 'no-such-branch' });
    expect(missing.status).toBe(422);
    expect(missing.body.message).toMatch(/no-such-branch/);
    expect((await create({ name: 'no tag' })).status).toBe(422);
    expect((await create({ tag_name: 'v-bad-type', draft: 'yes' })).status).toBe(422);
    const tags = tagsOf(full);
    expect(Object.keys(tags)).not.toContain('from-nowhere');
    expect(Object.keys(tags)).not.toContain('a..b');
    const list = await call<ReleaseJson[]>(base, 'GET', `${api(full)}/releases?limit=50`, { auth });
    expect(list.body.map((r) => r.tag_name)).not.toContain('from-nowhere');
    expect(list.body.map((r) => r.tag_name)).toContain('dup');
  });

  test('an asset uploaded as a multipart form is downloaded byte for byte, counted each time', async () => {
    const rel = await create({ tag_name: 'with-asset' });
    // Over one R2 part (5 MiB): a multipart upload in R2 too.
    const bytes = randomBytes(7 * 1024 * 1024 + 123);
    const up = await upload(full, rel.body.id, bytes, { filename: 'tool-linux.tar.gz' });
    expect(up.status).toBe(201);
    expect(up.body).toMatchObject({ name: 'tool-linux.tar.gz', size: bytes.length, download_count: 0 });
    expect(up.body.browser_download_url).toBe(
      `${base}/${full}/releases/download/with-asset/tool-linux.tar.gz`,
    );
    for (const expected of [1, 2]) {
      const res = await fetch(up.body.browser_download_url);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-disposition')).toBe("attachment; filename*=UTF-8''tool-linux.tar.gz");
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('content-type')).toBe('application/octet-stream');
      expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);
      const asset = await call<AssetJson>(
        base,
        'GET',
        `${api(full)}/releases/${rel.body.id}/assets/${up.body.id}`,
      );
      expect(asset.body.download_count).toBe(expected);
    }
    const listed = await call<ReleaseJson>(base, 'GET', `${api(full)}/releases/${rel.body.id}`);
    expect(listed.body.assets.map((a) => [a.name, a.size])).toEqual([['tool-linux.tar.gz', bytes.length]]);
  });

  test('a raw body with ?name= is an asset too; names are checked; a second asset of a name is refused', async () => {
    const rel = await create({ tag_name: 'raw-asset' });
    const bytes = new TextEncoder().encode('<html><script>alert(1)</script></html>');
    const up = await upload(full, rel.body.id, bytes, { raw: true, name: 'page.html' });
    expect(up.status).toBe(201);
    const res = await fetch(up.body.browser_download_url);
    // HTML is never served as a page of the site.
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment;/);
    expect(await res.text()).toBe('<html><script>alert(1)</script></html>');
    expect((await upload(full, rel.body.id, bytes, { raw: true, name: 'page.html' })).status).toBe(409);
    expect((await upload(full, rel.body.id, bytes, { raw: true })).status).toBe(422);
    expect((await upload(full, rel.body.id, bytes, { raw: true, name: '../x' })).status).toBe(422);
    // Renamed, then deleted: the old and then the new download are gone.
    const renamed = await call<AssetJson>(
      base,
      'PATCH',
      `${api(full)}/releases/${rel.body.id}/assets/${up.body.id}`,
      {
        auth,
        json: { name: 'page.txt' },
      },
    );
    expect(renamed.status).toBe(200);
    expect(renamed.body.name).toBe('page.txt');
    expect((await fetch(up.body.browser_download_url)).status).toBe(404);
    const moved = await fetch(renamed.body.browser_download_url);
    expect(await moved.text()).toContain('alert(1)');
    const del = await call(base, 'DELETE', `${api(full)}/releases/${rel.body.id}/assets/${up.body.id}`, {
      auth,
    });
    expect(del.status).toBe(204);
    expect((await fetch(renamed.body.browser_download_url)).status).toBe(404);
  });

  test('an asset over MAX_ASSET_BYTES is refused with 413 and nothing is kept; one at the cap is stored', async () => {
    const rel = await create({ tag_name: 'too-big' });
    const over = randomBytes(CAP + 1);
    const multipart = await upload(full, rel.body.id, over, { filename: 'big.bin' });
    expect(multipart.status).toBe(413);
    expect(multipart.body.message).toMatch(/at most/);
    // Refused from its length, maybe before it is all sent: see answerDespiteReset.
    const raw = await answerDespiteReset(
      `${base}${api(full)}/releases/${rel.body.id}/assets?name=big-raw.bin`,
      {
        headers: { ...asToken(owner.token), 'content-type': 'application/octet-stream' },
        body: over,
      },
    );
    expect(raw.status, raw.body).toBe(413);
    expect(JSON.parse(raw.body).message).toMatch(/at most/);
    const after = await call<ReleaseJson>(base, 'GET', `${api(full)}/releases/${rel.body.id}`, { auth });
    expect(after.body.assets).toEqual([]);
    expect((await fetch(`${base}/${full}/releases/download/too-big/big.bin`)).status).toBe(404);
    const atCap = await upload(full, rel.body.id, over.subarray(0, CAP), { filename: 'big.bin' });
    expect(atCap.status).toBe(201);
    expect(atCap.body.size).toBe(CAP);
  });

  test('latest is the newest release that is neither a draft nor a pre-release', async () => {
    const repo = await pushedRepo(uniqueName('latest'));
    const none = await call(base, 'GET', `${api(repo)}/releases/latest`, { auth });
    expect(none.status).toBe(404);
    const post = (json: Record<string, unknown>) =>
      call<ReleaseJson>(base, 'POST', `${api(repo)}/releases`, { auth, json });
    const stable = await post({ tag_name: 'v1' });
    await post({ tag_name: 'v2-rc1', prerelease: true });
    await post({ tag_name: 'v3-draft', draft: true });
    const latest = await call<ReleaseJson>(base, 'GET', `${api(repo)}/releases/latest`, { auth });
    expect(latest.body.id).toBe(stable.body.id);
    const newer = await post({ tag_name: 'v2' });
    expect((await call<ReleaseJson>(base, 'GET', `${api(repo)}/releases/latest`)).body.id).toBe(
      newer.body.id,
    );
    // Lists are newest first, paged, with the total; filters as Gitea's.
    const all = await call<ReleaseJson[]>(base, 'GET', `${api(repo)}/releases`, { auth });
    expect(all.body.map((r) => r.tag_name)).toEqual(['v2', 'v3-draft', 'v2-rc1', 'v1']);
    expect(all.headers.get('x-total-count')).toBe('4');
    const second = await call<ReleaseJson[]>(base, 'GET', `${api(repo)}/releases?limit=1&page=2`, { auth });
    expect(second.body.map((r) => r.tag_name)).toEqual(['v3-draft']);
    const pre = await call<ReleaseJson[]>(base, 'GET', `${api(repo)}/releases?pre-release=true`, { auth });
    expect(pre.body.map((r) => r.tag_name)).toEqual(['v2-rc1']);
  });

  test('a draft has no tag until published, is seen by writers only, and publishing creates its tag', async () => {
    const reader = await signUp(base, 'rel-reader');
    await grantOn(base, full, auth, reader, 'read');
    const draft = await create({
      tag_name: 'v9-draft',
      target_commitish: 'side',
      draft: true,
      body: 'secret',
    });
    expect(draft.status).toBe(201);
    expect(draft.body.published_at).toBeNull();
    expect(tagsOf(full)['v9-draft']).toBeUndefined();
    const up = await upload(full, draft.body.id, new TextEncoder().encode('draft bytes'), {
      filename: 'd.txt',
    });
    expect(up.status).toBe(201);
    for (const who of [asCookie(reader), null]) {
      const list = await call<ReleaseJson[]>(base, 'GET', `${api(full)}/releases?limit=50`, { auth: who });
      expect(list.body.map((r) => r.tag_name)).not.toContain('v9-draft');
      expect(list.body.map((r) => r.tag_name)).toContain('v1.0');
      expect((await call(base, 'GET', `${api(full)}/releases/${draft.body.id}`, { auth: who })).status).toBe(
        404,
      );
      expect((await call(base, 'GET', `${api(full)}/releases/tags/v9-draft`, { auth: who })).status).toBe(
        404,
      );
      const dl = await fetch(up.body.browser_download_url, { headers: who ?? {} });
      expect(dl.status).toBe(404);
    }
    const ownerDl = await fetch(up.body.browser_download_url, {
      headers: { authorization: `token ${owner.token}` },
    });
    expect(await ownerDl.text()).toBe('draft bytes');
    const published = await call<ReleaseJson>(base, 'PATCH', `${api(full)}/releases/${draft.body.id}`, {
      auth,
      json: { draft: false, name: 'Nine' },
    });
    expect(published.status).toBe(200);
    expect(published.body).toMatchObject({ draft: false, name: 'Nine', body: 'secret' });
    expect(published.body.published_at).not.toBeNull();
    expect(tagsOf(full)['v9-draft']).toBe(heads.side);
    const seen = await call<ReleaseJson>(base, 'GET', `${api(full)}/releases/tags/v9-draft`, {
      auth: asCookie(reader),
    });
    expect(seen.status).toBe(200);
  });

  test('deleting a release (by id or by tag) keeps its tag and removes its assets', async () => {
    const rel = await create({ tag_name: 'to-delete' });
    const up = await upload(full, rel.body.id, new TextEncoder().encode('bye'), { filename: 'bye.txt' });
    expect((await fetch(up.body.browser_download_url)).status).toBe(200);
    const del = await call(base, 'DELETE', `${api(full)}/releases/tags/to-delete`, { auth });
    expect(del.status).toBe(204);
    expect((await call(base, 'GET', `${api(full)}/releases/${rel.body.id}`, { auth })).status).toBe(404);
    expect((await fetch(up.body.browser_download_url)).status).toBe(404);
    expect(tagsOf(full)['to-delete']).toBe(heads.main);
    // The tag can carry a release again.
    const again = await create({ tag_name: 'to-delete' });
    expect(again.status).toBe(201);
    expect((await call(base, 'DELETE', `${api(full)}/releases/${again.body.id}`, { auth })).status).toBe(204);
    expect((await call(base, 'DELETE', `${api(full)}/releases/${again.body.id}`, { auth })).status).toBe(404);
  });
});

// ---------------------------------------------------------------------------------------------
// The authorization matrix: every endpoint and page, for each kind of caller, on a public and a
// private repository.

type ActorName =
  | 'anonymous'
  | 'stranger'
  | 'reader'
  | 'writer'
  | 'admin'
  | 'owner'
  | 'readToken'
  | 'issueToken';
type Op =
  | 'list'
  | 'get'
  | 'byTag'
  | 'latest'
  | 'draft'
  | 'assets'
  | 'download'
  | 'create'
  | 'edit'
  | 'delete'
  | 'upload'
  | 'deleteAsset'
  | 'pageList'
  | 'pageTag'
  | 'pageDraft'
  | 'pageNew';

const READS: Op[] = ['list', 'get', 'byTag', 'latest', 'assets', 'download', 'pageList', 'pageTag'];
const WRITES: Op[] = ['create', 'edit', 'delete', 'upload', 'deleteAsset'];
const WROTE: Record<Op, number> = {
  list: 200,
  get: 200,
  byTag: 200,
  latest: 200,
  assets: 200,
  download: 200,
  draft: 200,
  create: 201,
  edit: 200,
  delete: 204,
  upload: 201,
  deleteAsset: 204,
  pageList: 200,
  pageTag: 200,
  pageDraft: 200,
  pageNew: 200,
};

function row(read: number, write: number, draft: number): Record<Op, number> {
  const out = {} as Record<Op, number>;
  for (const op of READS) out[op] = read === 200 ? WROTE[op] : read;
  for (const op of WRITES) out[op] = write === 200 ? WROTE[op] : write;
  // Drafts, and the page to make a release, exist for writers only.
  out.draft = draft;
  out.pageDraft = draft;
  out.pageNew = draft;
  return out;
}

const EXPECTED: Record<'public' | 'private', Record<ActorName, Record<Op, number>>> = {
  public: {
    anonymous: row(200, 401, 404),
    stranger: row(200, 403, 404),
    reader: row(200, 403, 404),
    writer: row(200, 200, 200),
    admin: row(200, 200, 200),
    owner: row(200, 200, 200),
    // The owner's token with read:repository only: reads, never writes nor sees drafts.
    readToken: row(200, 403, 404),
    // The owner's token without a repository scope: what anyone may do.
    issueToken: row(200, 403, 404),
  },
  private: {
    anonymous: row(404, 404, 404),
    stranger: row(404, 404, 404),
    reader: row(200, 403, 404),
    writer: row(200, 200, 200),
    admin: row(200, 200, 200),
    owner: row(200, 200, 200),
    readToken: row(200, 403, 404),
    issueToken: row(404, 404, 404),
  },
};

describe('authorization matrix', () => {
  const auths = {} as Record<ActorName, Auth>;
  const repos = {} as Record<
    'public' | 'private',
    { full: string; release: ReleaseJson; draft: ReleaseJson }
  >;
  let matrixOwner: GitUser;

  beforeAll(async () => {
    matrixOwner = await createUser(base, 'relm-owner');
    const names = ['stranger', 'reader', 'writer', 'admin'] as const;
    const made: TestUser[] = await Promise.all(names.map((n) => signUp(base, `relm-${n}`)));
    names.forEach((n, i) => {
      auths[n] = asCookie(made[i]);
    });
    auths.anonymous = null;
    auths.owner = asToken(matrixOwner.token);
    auths.readToken = asToken((await createToken(base, matrixOwner, { scopes: ['read:repository'] })).sha1);
    auths.issueToken = asToken((await createToken(base, matrixOwner, { scopes: ['read:issue'] })).sha1);
    const saved = owner;
    owner = matrixOwner;
    for (const visibility of ['public', 'private'] as const) {
      const full = await pushedRepo(uniqueName(`relm-${visibility}`), { private: visibility === 'private' });
      for (const [i, permission] of (['read', 'write', 'admin'] as const).entries()) {
        await grantOn(base, full, auths.owner, made[i + 1], permission);
      }
      const post = (json: Record<string, unknown>) =>
        call<ReleaseJson>(base, 'POST', `${api(full)}/releases`, { auth: auths.owner, json });
      const release = (await post({ tag_name: 'v1' })).body;
      const draft = (await post({ tag_name: 'v2-draft', draft: true })).body;
      const up = await upload(full, release.id, new TextEncoder().encode('asset'), {
        auth: auths.owner,
        filename: 'a.txt',
      });
      expect(up.status).toBe(201);
      release.assets = [up.body];
      repos[visibility] = { full, release, draft };
    }
    owner = saved;
  }, 120_000);

  async function attempt(actor: ActorName, visibility: 'public' | 'private', op: Op): Promise<number> {
    const { full, release, draft } = repos[visibility];
    const auth = auths[actor];
    const rel = `${api(full)}/releases`;
    const asOwner = auths.owner;
    const tag = `t-${actor}-${op}-${Math.random().toString(36).slice(2, 8)}`;
    const seesDraft = EXPECTED[visibility][actor].draft === 200;
    const page = async (path: string, mustShow: string) => {
      const res = await fetch(`${base}/${full}${path}`, { headers: auth ?? {} });
      const html = await res.text();
      if (res.status === 200) expect(html).toContain(mustShow);
      else expect(html).not.toContain(mustShow);
      return { status: res.status, html };
    };
    switch (op) {
      case 'pageList': {
        const r = await page('/releases', 'data-tag="v1"');
        if (r.status === 200) expect(r.html.includes('data-tag="v2-draft"')).toBe(seesDraft);
        return r.status;
      }
      case 'pageTag':
        return (await page('/releases/tag/v1', 'releases/download/v1/a.txt')).status;
      case 'pageDraft':
        return (await page('/releases/tag/v2-draft', 'data-tag="v2-draft"')).status;
      case 'pageNew':
        return (await page('/releases/new', 'release-form')).status;
      case 'list': {
        const r = await call<ReleaseJson[]>(base, 'GET', rel, { auth });
        if (r.status === 200) expect(r.body.map((x) => x.tag_name)).toContain('v1');
        return r.status;
      }
      case 'get':
        return (await call(base, 'GET', `${rel}/${release.id}`, { auth })).status;
      case 'byTag':
        return (await call(base, 'GET', `${rel}/tags/v1`, { auth })).status;
      case 'latest': {
        const r = await call<ReleaseJson>(base, 'GET', `${rel}/latest`, { auth });
        if (r.status === 200) expect(r.body.tag_name).toBe('v1');
        return r.status;
      }
      case 'draft':
        return (await call(base, 'GET', `${rel}/${draft.id}`, { auth })).status;
      case 'assets':
        return (await call(base, 'GET', `${rel}/${release.id}/assets/${release.assets[0].id}`, { auth }))
          .status;
      case 'download': {
        const res = await fetch(`${base}/${full}/releases/download/v1/a.txt`, { headers: auth ?? {} });
        const text = await res.text();
        if (res.status === 200) expect(text).toBe('asset');
        return res.status;
      }
      case 'create': {
        // Pre-releases, so that "latest" stays v1 whatever the order of the cells.
        const r = await call(base, 'POST', rel, { auth, json: { tag_name: tag, prerelease: true } });
        // A refused create left no release.
        const left = await call(base, 'GET', `${rel}/tags/${tag}`, { auth: asOwner });
        expect(left.status).toBe(r.status === 201 ? 200 : 404);
        return r.status;
      }
      case 'edit':
        return (await call(base, 'PATCH', `${rel}/${release.id}`, { auth, json: { body: `by ${actor}` } }))
          .status;
      case 'delete': {
        const target = await call<ReleaseJson>(base, 'POST', rel, {
          auth: asOwner,
          json: { tag_name: tag, prerelease: true },
        });
        expect(target.status).toBe(201);
        return (await call(base, 'DELETE', `${rel}/${target.body.id}`, { auth })).status;
      }
      case 'upload': {
        const r = await upload(full, release.id, new TextEncoder().encode('x'), {
          auth,
          filename: `${tag}.txt`,
        });
        const left = await fetch(`${base}/${full}/releases/download/v1/${tag}.txt`, {
          headers: asOwner ?? {},
        });
        expect(left.status).toBe(r.status === 201 ? 200 : 404);
        await left.arrayBuffer();
        return r.status;
      }
      case 'deleteAsset': {
        const made = await upload(full, release.id, new TextEncoder().encode('x'), {
          auth: asOwner,
          filename: `${tag}.txt`,
        });
        expect(made.status).toBe(201);
        return (await call(base, 'DELETE', `${rel}/${release.id}/assets/${made.body.id}`, { auth })).status;
      }
    }
  }

  for (const visibility of ['public', 'private'] as const) {
    for (const actor of Object.keys(EXPECTED[visibility]) as ActorName[]) {
      test(`${visibility}: ${actor}`, async () => {
        const got = {} as Record<Op, number>;
        for (const op of Object.keys(EXPECTED[visibility][actor]) as Op[]) {
          got[op] = await attempt(actor, visibility, op);
        }
        expect(got).toEqual(EXPECTED[visibility][actor]);
      });
    }
  }
});

// ---------------------------------------------------------------------------------------------
// Files attached to issue comments: uploaded by whoever may comment, read by whoever may read.

describe('comment attachments', () => {
  test('an attachment uploads to an issue and downloads for readers only; images inline, others as files', async () => {
    const author = await createUser(base, 'att-owner');
    const reader = await signUp(base, 'att-reader');
    const stranger = await signUp(base, 'att-stranger');
    const saved = owner;
    owner = author;
    const repo = await pushedRepo(uniqueName('att'), { private: true });
    owner = saved;
    const auth = asToken(author.token);
    await grantOn(base, repo, auth, reader, 'read');
    const issue = await call<{ number: number }>(base, 'POST', `${api(repo)}/issues`, {
      auth,
      json: { title: 'with files' },
    });
    expect(issue.status).toBe(201);
    const assets = `${base}${api(repo)}/issues/${issue.body.number}/assets`;
    const send = (who: Auth, name: string, bytes: Uint8Array) => {
      const form = new FormData();
      form.append('attachment', new Blob([bytes as Uint8Array<ArrayBuffer>]), name);
      return fetch(assets, { method: 'POST', headers: who ?? {}, body: form });
    };
    const png = randomBytes(2000);
    const up = await send(auth, 'shot.png', png);
    expect(up.status).toBe(201);
    const img = (await up.json()) as AssetJson & { uuid: string };
    expect(img.browser_download_url).toBe(`${base}/${repo}/attachments/${img.uuid}`);
    const html = await send(auth, 'page.html', new TextEncoder().encode('<script>alert(1)</script>'));
    const file = (await html.json()) as AssetJson;
    // A reader may comment, so may attach; a stranger and an anonymous caller see nothing.
    expect((await send(asCookie(reader), 'r.txt', new TextEncoder().encode('r'))).status).toBe(201);
    expect((await send(asCookie(stranger), 's.txt', new TextEncoder().encode('s'))).status).toBe(404);
    expect((await send(null, 'a.txt', new TextEncoder().encode('a'))).status).toBe(404);
    const listed = await call<AssetJson[]>(base, 'GET', assets.slice(base.length), { auth });
    expect(listed.body.map((a) => a.name)).toEqual(['shot.png', 'page.html', 'r.txt']);

    const got = await fetch(img.browser_download_url, { headers: { cookie: reader.cookie } });
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe('image/png');
    expect(got.headers.get('content-disposition')).toMatch(/^inline;/);
    expect(Buffer.from(await got.arrayBuffer()).equals(png)).toBe(true);
    const page = await fetch(file.browser_download_url, { headers: { cookie: reader.cookie } });
    expect(page.headers.get('content-type')).toBe('application/octet-stream');
    expect(page.headers.get('content-disposition')).toMatch(/^attachment;/);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    await page.arrayBuffer();
    for (const who of [{ cookie: stranger.cookie }, {}] as Record<string, string>[]) {
      const denied = await fetch(img.browser_download_url, { headers: who });
      expect(denied.status).toBe(404);
      expect(Buffer.from(await denied.arrayBuffer()).equals(png)).toBe(false);
    }
    expect(
      (
        await fetch(`${base}/${repo}/attachments/00000000-0000-0000-0000-000000000000`, {
          headers: { cookie: reader.cookie },
        })
      ).status,
    ).toBe(404);
  });
});

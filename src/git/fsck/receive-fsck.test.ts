/**
 * The crafted corpus pushed to git itself (`git http-backend`, receive.fsckObjects=true) and to
 * the engine over the Node test server: the engine refuses exactly what git refuses, with the
 * same report-status, and keeps nothing of a refused push.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acceptedCases, type FsckCase, rejectedCases, warnedCases } from '../../../test/helpers/fsck-corpus';
import { type HttpBackend, startHttpBackend } from '../../../test/helpers/http-backend';
import { type NodeGitServer, startNodeGitServer } from '../../../test/helpers/node-git-server';
import { type PushReport, packOf, pushBody, rawPush } from '../../../test/helpers/packs';
import { camelId, RECEIVE_WARNINGS } from './findings';

let backend: HttpBackend;
let server: NodeGitServer;
let refUrl: string;

beforeAll(async () => {
  [backend, server] = await Promise.all([startHttpBackend(), startNodeGitServer()]);
  // git itself, told to only warn about the findings Gitflare accepts with a warning.
  refUrl = backend.create(
    'corpus',
    Object.fromEntries(RECEIVE_WARNINGS.map((id) => [`receive.fsck.${camelId(id)}`, 'warn'])),
  );
});

afterAll(async () => {
  await Promise.all([backend.close(), server.close()]);
});

const ID_RE = /error: object [0-9a-f]{40}: (\w+):/g;

function fsckIds(r: PushReport): string[] {
  return [...r.messages.matchAll(ID_RE)].map((m) => m[1]);
}

function warnings(r: PushReport): string[] {
  return r.messages.split('\n').filter((l) => l.startsWith('warning: '));
}

async function pushBoth(c: FsckCase): Promise<{ ref: PushReport; ours: PushReport }> {
  const body = pushBody([{ name: c.ref, newOid: c.tip }], packOf(c.objects));
  const [ref, ours] = await Promise.all([rawPush(refUrl, body), rawPush(`${server.url}/corpus.git`, body)]);
  return { ref, ours };
}

describe('fsck on receive matches git receive.fsckObjects', () => {
  const rejected = rejectedCases();
  const warned = warnedCases();
  const accepted = [...acceptedCases(), ...warned];

  it.each(rejected.map((c) => [c.name, c] as const))('refuses %s as git does', async (_, c) => {
    const { ref, ours } = await pushBoth(c);
    // The reference must refuse it, else the case is wrong.
    expect(ref.status[0], ref.messages).not.toBe('unpack ok');
    expect(ours.status).toEqual(ref.status);
    const refIds = fsckIds(ref);
    const ourIds = fsckIds(ours);
    expect(ourIds.length, ours.messages).toBeGreaterThan(0);
    // Our first finding is one git reported too (git may list several per object).
    if (refIds.length > 0) expect(refIds, ours.messages).toContain(ourIds[0]);
  });

  it.each(accepted.map((c) => [c.name, c] as const))('accepts %s as git does', async (_, c) => {
    const { ref, ours } = await pushBoth(c);
    expect(ref.status, ref.messages).toEqual(['unpack ok', `ok ${c.ref}`]);
    expect(ours.status, ours.messages).toEqual(ref.status);
    // The same warnings, word for word (git shows informational findings as warnings too).
    expect(warnings(ours)).toEqual(warnings(ref));
  });

  it.each(warned.map((c) => [c.name, c] as const))('shows the accepted findings of %s', async (_, c) => {
    const { ours } = await pushBoth(c);
    const ids = warnings(ours).map((l) => /^warning: object [0-9a-f]{40}: (\w+): /.exec(l)?.[1]);
    expect(ids.length, ours.messages).toBeGreaterThan(0);
    for (const id of ids) expect(RECEIVE_WARNINGS.map(camelId)).toContain(id);
  });

  it('a strict receiver (git default) refuses every case accepted with a warning', async () => {
    const strictUrl = backend.create('strict');
    for (const c of warned) {
      const body = pushBody([{ name: c.ref, newOid: c.tip }], packOf(c.objects));
      const r = await rawPush(strictUrl, body);
      expect(r.status[0], `${c.name}: ${r.messages}`).toBe('unpack index-pack abnormal exit');
    }
  });

  it('keeps nothing of refused pushes: same refs as git, refused objects absent', async () => {
    const repo = server.repo('corpus');
    const ours = (await repo.refs.list()).map((r) => `${r.oid} ${r.name}`).sort();
    const ls = await fetch(`${refUrl}/info/refs?service=git-upload-pack`).then((r) => r.text());
    const theirs = [...ls.matchAll(/([0-9a-f]{40}) (refs\/[^\0\n^]+)(?=[\0\n])/g)]
      .map((m) => `${m[1]} ${m[2]}`)
      .sort();
    expect(ours).toEqual(theirs);
    expect(ours.length).toBe(accepted.length);
    const keep = new Set(accepted.flatMap((c) => c.objects.map((o) => o.oid)));
    const refused = rejected.flatMap((c) => c.objects.map((o) => o.oid)).filter((o) => !keep.has(o));
    for (const oid of refused) expect(await repo.odb.has(oid), oid).toBe(false);
  });
});

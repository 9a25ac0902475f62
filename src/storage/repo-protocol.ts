/** The repository object's git protocol entry points: ref advertisement, fetch and push. */
import type { Protection } from '../git/protect/guard';
import { advertiseRefs } from '../git/protocol/advertise';
import { PROTOCOL_LIMITS, requestTooLarge } from '../git/protocol/limits';
import { receivePack } from '../git/protocol/receive-pack';
import type { GitRepository, GitService, ProtocolVersion } from '../git/protocol/repository';
import { uploadPackAnswer } from '../git/protocol/upload-pack';
import { withoutHiddenRefs } from '../git/refs/hidden';
import { readBody } from './body-stream';
import { COMPARE_REF_PREFIX } from './fork-compare';
import { inflateUpload } from './inflate-body';
import { throughNative } from './native-stream';
import { type RepoCore, WALK_CACHE_BYTES } from './repo-core';
import type { PushNotice } from './repo-types';

/**
 * Refs only the server moves: a pull request's head from a fork (storage/pull-head.ts), a fork's
 * sync in progress (upstream-sync.ts), a comparison with a fork (fork-compare.ts). Pushes
 * cannot update them and receive-pack does not show them (so `git push --mirror` leaves them);
 * fetches still see `refs/pull/`, as on GitHub.
 */
const PUSH_HIDDEN_REFS = ['refs/pull/', 'refs/sync/', COMPARE_REF_PREFIX];
/** Of those, the ones fetches do not see either: a sync's or a comparison's ref lives only while
 * the server's own work needs it. */
const FETCH_HIDDEN_REFS = ['refs/sync/', COMPARE_REF_PREFIX];

/** The repository as fetches see it: without the refs of the server's own work in progress. */
function fetchRepository(core: RepoCore, cacheBytes?: number, admissionWaitMs?: number): GitRepository {
  const repo = core.repository(cacheBytes, admissionWaitMs);
  return { ...repo, refs: withoutHiddenRefs(repo.refs, FETCH_HIDDEN_REFS) };
}

/** The `info/refs` body for a service. */
export function advertise(
  core: RepoCore,
  service: GitService,
  version: ProtocolVersion,
): Promise<Uint8Array> {
  const repo = service === 'git-upload-pack' ? fetchRepository(core) : core.repository();
  return advertiseRefs(service, repo, { version, hiddenRefs: PUSH_HIDDEN_REFS });
}

export function serveUploadPack(
  core: RepoCore,
  body: ReadableStream<Uint8Array>,
  version: ProtocolVersion,
  gzip: boolean,
  admissionWaitMs?: number,
): ReadableStream<Uint8Array> {
  const request = gzip ? inflateUpload(body, PROTOCOL_LIMITS.requestBytes, requestTooLarge()) : body;
  const repo = fetchRepository(core, WALK_CACHE_BYTES, admissionWaitMs);
  return throughNative(uploadPackAnswer(readBody(request), repo, { version }));
}

/** A push; `notice` names the pusher for the webhooks it triggers, `protection` is the
 * repository's branch rules and the pusher (both from the metadata database); `admissionWaitMs`
 * how long it may wait for another push (a test server's request may name it). */
export async function serveReceivePack(
  core: RepoCore,
  body: ReadableStream<Uint8Array>,
  notice?: PushNotice,
  protection?: Protection,
  admissionWaitMs?: number,
): Promise<ReadableStream<Uint8Array>> {
  // Pushes add packs; look at compacting them a little after the pushing has calmed down. The
  // first push leaves a single pack with nothing to merge into, so it schedules no work.
  if (!(await core.packs.isEmpty())) await core.scheduleCompaction();
  const response = receivePack(readBody(body), core.repository(undefined, admissionWaitMs), {
    ...core.pushLimits(),
    onRefsUpdated: (updates) => {
      if (notice) core.announcePush(notice, updates);
      core.refsMoved();
    },
    protection,
    hiddenRefs: PUSH_HIDDEN_REFS,
  });
  // The first push into an empty repository may move HEAD (to the first branch it creates).
  const before = core.headBranchSync();
  const followHead = new TransformStream<Uint8Array, Uint8Array>({
    flush: () => core.syncHeadCopy(before),
  });
  return core.pushes.track(response.pipeThrough(followHead));
}

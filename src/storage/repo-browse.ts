/**
 * The repository object's read side for the pages and the content API, under admission control:
 * archives, blame and big diffs reserve their share (see admission.ts) and hold it until their
 * answer is made (an archive's until it is sent); every other read reserves nothing and never waits.
 */
import { type BrowseRequest, type BrowseResult, runBrowse } from '../git/browse/run';
import { type AdmittedWork, BusyError } from './admission';
import { untilEnd } from './in-flight';
import { throughNative } from './native-stream';
import type { RepoCore } from './repo-core';

/**
 * Diffs whose blobs sum to more than this reserve the diff share; smaller ones never wait (their
 * blobs and lines are a few MiB at most beside the object database's bounded cache).
 */
export const DIFF_ADMIT_BYTES = 1024 * 1024;

function shareOf(kind: BrowseRequest['kind']): AdmittedWork | null {
  switch (kind) {
    case 'archive':
      return 'archive';
    case 'blame':
      return 'blame';
    default:
      // A commit's or comparison's diffs decide once their size is known (diffRoom below).
      return null;
  }
}

/** A read that waited past the admission's limit answers BUSY (a 503 for the surfaces), not a fault. */
function busy(e: unknown): BrowseResult {
  if (e instanceof BusyError) return { kind: 'error', code: 'BUSY', message: e.message };
  throw e;
}

/** `admissionWaitMs`: how long a read that reserves may wait (a test server's request may name it). */
export async function browse(
  core: RepoCore,
  request: BrowseRequest,
  admissionWaitMs?: number,
): Promise<BrowseResult> {
  const repo = core.repository();
  const work = shareOf(request.kind);
  const diffRoom = async (bytes: number) =>
    bytes > DIFF_ADMIT_BYTES ? core.admission.enter('diff', undefined, admissionWaitMs) : () => undefined;
  if (work === null) return runBrowse(request, repo.odb, repo.refs, { diffRoom }).then(nativeBody, busy);
  let release: () => void;
  try {
    release = await core.admission.enter(work, undefined, admissionWaitMs);
  } catch (e) {
    return busy(e);
  }
  let result: BrowseResult;
  try {
    result = await runBrowse(request, repo.odb, repo.refs);
  } catch (e) {
    release();
    throw e;
  }
  // An archive streams after this returns: its share is held until the download ends or is cancelled.
  if (result.kind === 'archive') return nativeBody({ ...result, body: untilEnd(result.body, release) });
  release();
  return nativeBody(result);
}

/** A downloaded file's or archive's bytes leave the object through a native stream (see native-stream.ts). */
function nativeBody(result: BrowseResult): BrowseResult {
  return result.kind === 'raw' || result.kind === 'archive'
    ? { ...result, body: throughNative(result.body) }
    : result;
}

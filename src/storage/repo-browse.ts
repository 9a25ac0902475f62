/**
 * The repository object's read side for the pages and the content API, under admission control:
 * archives, blame and diffs reserve their share (see admission.ts) and hold it until their answer
 * is sent; every other read reserves nothing and never waits.
 */
import { type BrowseRequest, type BrowseResult, runBrowse } from '../git/browse/run';
import type { AdmittedWork } from './admission';
import { untilEnd } from './in-flight';
import type { RepoCore } from './repo-core';

function shareOf(kind: BrowseRequest['kind']): AdmittedWork | null {
  switch (kind) {
    case 'archive':
      return 'archive';
    case 'blame':
      return 'blame';
    case 'commit':
    case 'compare':
      return 'diff';
    default:
      return null;
  }
}

export async function browse(core: RepoCore, request: BrowseRequest): Promise<BrowseResult> {
  const repo = core.repository();
  const work = shareOf(request.kind);
  if (work === null) return runBrowse(request, repo.odb, repo.refs);
  const release = await core.admission.enter(work);
  let result: BrowseResult;
  try {
    result = await runBrowse(request, repo.odb, repo.refs);
  } catch (e) {
    release();
    throw e;
  }
  // An archive streams after this returns: its share is held until the download ends or is cancelled.
  if (result.kind === 'archive') return { ...result, body: untilEnd(result.body, release) };
  release();
  return result;
}

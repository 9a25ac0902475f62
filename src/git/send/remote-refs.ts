/**
 * The remote's refs and capabilities as its receive-pack advertises them (v0; git serves pushes
 * over v0 whatever protocol fetches speak).
 */
import { type RemoteRefs, readV0 } from '../fetch/discover';
import { bodyChunks, expectGitResponse, FetchError, type GitTransport } from '../fetch/transport';
import { PktLineReader, pktText } from '../pktline';

export const REMOTE = 'the remote';

/** A push mirror sends and deletes branches and tags only. */
const BRANCHES_AND_TAGS = (name: string) => name.startsWith('refs/heads/') || name.startsWith('refs/tags/');

export async function discoverReceiveRefs(transport: GitTransport): Promise<RemoteRefs> {
  const res = await transport('info/refs?service=git-receive-pack', { body: null, headers: {} });
  const body = await expectGitResponse(res, 'application/x-git-receive-pack-advertisement', REMOTE);
  const reader = new PktLineReader(bodyChunks(body));
  let first = await reader.read();
  if (first.type === 'data' && pktText(first.data).startsWith('# service=')) {
    const flush = await reader.read();
    if (flush.type !== 'flush') throw new FetchError('malformed ref advertisement');
    first = await reader.read();
  }
  // An empty repository advertises a single `capabilities^{}` line, which readV0 skips as no ref.
  return readV0(reader, first, BRANCHES_AND_TAGS);
}

/** Commit objects: parse and serialize, byte exact for well-formed commits. */
import { concatBytes } from '../bytes';
import type { CommitLinks, Oid } from '../store';
import { malformed } from './errors';
import { latin1Decode, type ObjectHeader, parseHeaderBlock, serializeHeader } from './headers';
import { type Ident, identBytes, parseIdent } from './ident';

export interface Commit {
  readonly tree: Oid;
  readonly parents: readonly Oid[];
  readonly author: Ident;
  readonly committer: Ident;
  /** Headers after committer (encoding, gpgsig, mergetag, ...), in their original order. */
  readonly extraHeaders: readonly ObjectHeader[];
  /** Message bytes after the blank line, exact (null when the commit has no blank line). */
  readonly message: Uint8Array | null;
}

const OID_RE = /^[0-9a-f]{40}$/;

export function parseCommit(data: Uint8Array): Commit {
  const { headers, message } = parseHeaderBlock('commit', data);
  let i = 0;
  const take = (key: string): Uint8Array | null => {
    if (i < headers.length && headers[i].key === key) return headers[i++].value;
    return null;
  };
  const treeBytes = take('tree');
  if (!treeBytes) throw malformed('commit', 'missing tree');
  const tree = latin1Decode(treeBytes);
  if (!OID_RE.test(tree)) throw malformed('commit', 'bad tree oid');
  const parents: Oid[] = [];
  for (let p = take('parent'); p; p = take('parent')) {
    const oid = latin1Decode(p);
    if (!OID_RE.test(oid)) throw malformed('commit', 'bad parent oid');
    parents.push(oid);
  }
  const authorBytes = take('author');
  const author = authorBytes && parseIdent(authorBytes);
  if (!author) throw malformed('commit', 'missing or bad author');
  const committerBytes = take('committer');
  const committer = committerBytes && parseIdent(committerBytes);
  if (!committer) throw malformed('commit', 'missing or bad committer');
  return { tree, parents, author, committer, extraHeaders: headers.slice(i), message };
}

export function serializeCommit(commit: Commit): Uint8Array {
  const enc = new TextEncoder();
  const parts: Uint8Array[] = [serializeHeader('tree', enc.encode(commit.tree))];
  for (const p of commit.parents) parts.push(serializeHeader('parent', enc.encode(p)));
  parts.push(serializeHeader('author', identBytes(commit.author)));
  parts.push(serializeHeader('committer', identBytes(commit.committer)));
  for (const h of commit.extraHeaders) parts.push(serializeHeader(h.key, h.value));
  if (commit.message) {
    parts.push(Uint8Array.of(0x0a), commit.message);
  }
  return concatBytes(parts);
}

/**
 * Only what a walk needs (tree, parents, commit time), without decoding the message.
 * Tolerates odd identities, since walks must not fail on objects fsck would merely warn about.
 */
export function parseCommitLinks(data: Uint8Array): CommitLinks {
  const { headers } = parseHeaderBlock('commit', data);
  let tree: Oid | null = null;
  const parents: Oid[] = [];
  let time = 0;
  for (const h of headers) {
    if (h.key === 'tree' && tree === null) tree = latin1Decode(h.value);
    else if (h.key === 'parent') parents.push(latin1Decode(h.value));
    else if (h.key === 'committer') {
      const m = /> (\d+) [+-]?\d*$/.exec(latin1Decode(h.value));
      if (m) time = Number(m[1]);
      break;
    }
  }
  if (!tree || !OID_RE.test(tree)) throw malformed('commit', 'missing tree');
  for (const p of parents) if (!OID_RE.test(p)) throw malformed('commit', 'bad parent oid');
  return { tree, parents, time };
}

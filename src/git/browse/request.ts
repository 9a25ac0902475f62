/**
 * What the web pages and the content API ask a repository for, and what they get back: plain
 * data (plus a byte stream for raw files and archives) that crosses the Durable Object RPC.
 */

import type { Oid } from '../store';
import type { BlameRange } from './blame';
import type { BrowseErrorCode } from './errors';
import type { FileDiff } from './file-diff';
import type { GitBlob, GitTreeListing, RefObject } from './git-data';
import type { CommitSummary } from './objects';
import type { PushedCommits } from './pushed-commits';
import type { ResolvedRef } from './resolve-ref';

export type { BlameRange, CommitSummary, FileDiff, GitBlob, GitTreeListing, RefObject, ResolvedRef };

/**
 * Where to look: `refPath` is a URL's `{ref}/{path}` (the ref may contain `/`; the longest
 * branch or tag wins); or a separate `ref` (`''` = the default branch) and `path`.
 */
export type Locator = { readonly refPath: string } | { readonly ref: string; readonly path: string };

export type BrowseRequest =
  | { readonly kind: 'refs' }
  /** A directory (answers `blob`, without content, when the path is a file). */
  | { readonly kind: 'tree'; readonly at: Locator; readonly lastCommits?: boolean; readonly readme?: boolean }
  /** A file (answers `tree`, without last commits or README, when the path is a directory). */
  | { readonly kind: 'blob'; readonly at: Locator; readonly maxBytes?: number; readonly bytes?: boolean }
  | { readonly kind: 'raw'; readonly at: Locator; readonly maxBytes?: number }
  /** `count`: also count the history (for paging headers), bounded by `COMMIT_COUNT_LIMIT`. */
  | {
      readonly kind: 'log';
      readonly at: Locator;
      readonly page: number;
      readonly limit: number;
      readonly count?: boolean;
    }
  | { readonly kind: 'commit'; readonly sha: string }
  | { readonly kind: 'compare'; readonly base: string; readonly head: string }
  | { readonly kind: 'blame'; readonly at: Locator }
  /** `git log base..head` for a webhook's push payload (base null: all of head's history). */
  | {
      readonly kind: 'pushed';
      readonly base: Oid | null;
      readonly head: Oid;
      readonly max: number;
      readonly countCap: number;
    }
  /** The API's git data: refs under a prefix with their objects' types, a tree page, a blob. */
  | { readonly kind: 'git-refs'; readonly prefix: string }
  | {
      readonly kind: 'git-tree';
      readonly id: string;
      readonly recursive: boolean;
      readonly page: number;
      readonly perPage: number;
    }
  | { readonly kind: 'git-blob'; readonly id: string; readonly maxBytes: number }
  | {
      readonly kind: 'archive';
      readonly ref: string;
      readonly format: 'zip' | 'tar.gz';
      readonly prefix: string;
    };

export interface RefInfo {
  /** Short name (`main`, `v1.0`). */
  readonly name: string;
  readonly commit: CommitSummary;
  /** For tags: whether it is an annotated tag object. */
  readonly annotated?: boolean;
}

export type EntryKind = 'dir' | 'file' | 'symlink' | 'submodule';

export interface TreeItem {
  readonly name: string;
  readonly path: string;
  readonly kind: EntryKind;
  readonly mode: string;
  readonly oid: Oid;
  /** Blob size in bytes (files and symlinks). */
  readonly size: number | null;
  /** The last commit that changed it; null when unknown (walk capped) or not asked for. */
  readonly lastCommit: CommitSummary | null;
}

export interface Readme {
  readonly path: string;
  readonly text: string;
  readonly truncated: boolean;
}

export type BrowseResult =
  | {
      readonly kind: 'refs';
      /** Short name of the branch HEAD points to (it may not exist yet in an empty repository). */
      readonly defaultBranch: string;
      readonly empty: boolean;
      readonly branches: RefInfo[];
      readonly tags: RefInfo[];
    }
  | {
      readonly kind: 'tree';
      readonly ref: ResolvedRef;
      readonly path: string;
      readonly commit: CommitSummary;
      readonly entries: TreeItem[];
      /** Some entries' last commits are unknown because the history walk was capped. */
      readonly lastCommitsCapped: boolean;
      readonly readme: Readme | null;
    }
  | {
      readonly kind: 'blob';
      readonly ref: ResolvedRef;
      readonly path: string;
      readonly commit: CommitSummary;
      readonly oid: Oid;
      readonly mode: string;
      readonly size: number;
      readonly binary: boolean;
      /** The text when not binary and not larger than maxBytes. */
      readonly text: string | null;
      /** The file is larger than maxBytes: text and bytes are not given. */
      readonly tooLarge: boolean;
      /** The content bytes, when asked for and not too large. */
      readonly bytes: Uint8Array | null;
    }
  | {
      readonly kind: 'raw';
      readonly path: string;
      readonly oid: Oid;
      readonly size: number;
      readonly binary: boolean;
      readonly body: ReadableStream<Uint8Array>;
    }
  | {
      readonly kind: 'log';
      readonly ref: ResolvedRef;
      readonly path: string;
      readonly page: number;
      readonly limit: number;
      readonly commits: CommitSummary[];
      readonly hasMore: boolean;
      readonly capped: boolean;
      /** Older history is listed from an older commit, not by a further page number. */
      readonly lastNumberedPage: boolean;
      /** Commits in the whole history listed; null when unknown (not asked, or too many to count). */
      readonly total: number | null;
    }
  | {
      readonly kind: 'commit';
      readonly commit: CommitSummary;
      readonly files: FileDiff[];
      readonly filesTruncated: boolean;
    }
  | {
      readonly kind: 'compare';
      readonly base: ResolvedRef;
      readonly head: ResolvedRef;
      readonly mergeBase: Oid | null;
      readonly commits: CommitSummary[];
      readonly commitsTruncated: boolean;
      readonly files: FileDiff[];
      readonly filesTruncated: boolean;
    }
  | {
      readonly kind: 'blame';
      readonly ref: ResolvedRef;
      readonly path: string;
      readonly lines: string[];
      readonly ranges: BlameRange[];
      readonly commits: Record<Oid, CommitSummary>;
    }
  | { readonly kind: 'archive'; readonly commit: Oid; readonly body: ReadableStream<Uint8Array> }
  | ({ readonly kind: 'pushed' } & PushedCommits)
  | { readonly kind: 'git-refs'; readonly refs: RefObject[] }
  | ({ readonly kind: 'git-tree' } & GitTreeListing)
  | ({ readonly kind: 'git-blob' } & GitBlob)
  /** A refusal that comes from the request (a BrowseError, as data: it crosses the RPC). */
  | { readonly kind: 'error'; readonly code: BrowseErrorCode; readonly message: string };

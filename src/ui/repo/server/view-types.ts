/** What the repository pages ask the server for, and the data each page gets back. */
import type { BrowseResult } from '../../../git/browse/request';
import type { Viewer } from '../../server-fns';

export type ViewRequest =
  | { readonly page: 'home' }
  | { readonly page: 'tree'; readonly splat: string }
  | { readonly page: 'blob'; readonly splat: string }
  | { readonly page: 'blame'; readonly splat: string }
  | { readonly page: 'commits'; readonly splat: string; readonly pageNo: number }
  | { readonly page: 'commit'; readonly sha: string }
  | { readonly page: 'compare'; readonly spec: string }
  | { readonly page: 'branches' }
  | { readonly page: 'tags' };

export interface ViewInput {
  readonly owner: string;
  readonly repo: string;
  readonly view: ViewRequest;
}

export interface RepoView {
  readonly owner: string;
  readonly name: string;
  readonly description: string;
  readonly private: boolean;
  readonly defaultBranch: string;
  readonly cloneUrl: string;
  readonly empty: boolean;
  /** The viewer administers the repository (shows the Settings tab). */
  readonly canAdmin?: boolean;
  /** The viewer may push (shows a fork's "Sync fork"). */
  readonly canWrite?: boolean;
  /** The repository this one was forked from, while it exists. */
  readonly parent?: { readonly owner: string; readonly name: string } | null;
  readonly forksCount?: number;
  /** A repository fetched from elsewhere (a migration or a pull mirror): where from and how it went. */
  readonly source?: RepoSourceView;
  /** Archived: read-only (no pushes, merges, new issues). */
  readonly archived?: boolean;
  /** The merge styles the settings allow (Gitea's names), the default first-chosen. */
  readonly mergeStyles?: readonly string[];
  readonly defaultMergeStyle?: string;
  readonly defaultDeleteBranchAfterMerge?: boolean;
}

export interface RepoSourceView {
  readonly url: string;
  readonly mirror: boolean;
  readonly status: 'running' | 'failed' | 'done';
  readonly error: string | null;
  readonly lastSyncAt: string | null;
  /** A pull mirror's sync interval (0: on demand only). */
  readonly intervalSeconds?: number;
  /** A Gitea-service import not yet done: the kind of item it is at and how many came in. */
  readonly progress?: { readonly phase: string; readonly imported: number } | null;
  /** The git data's pack while it is received: objects received or deltas resolved, of how many, and bytes. */
  readonly pack?: {
    readonly phase: 'receiving' | 'resolving';
    readonly done: number;
    readonly total: number;
    readonly bytes: number;
  } | null;
}

export interface RefNames {
  readonly branches: string[];
  readonly tags: string[];
}

type R<K extends BrowseResult['kind']> = Extract<BrowseResult, { kind: K }>;

export type BlobView = Omit<R<'blob'>, 'bytes' | 'text'> & {
  /** Safe HTML per line (highlighted), or null for binary and too-large files. */
  readonly lines: string[] | null;
  readonly language: string | null;
  /** Rendered markdown (sanitized) for .md files. */
  readonly markdownHtml: string | null;
  readonly image: boolean;
  /** Stored with Git LFS: the object the pointer names (size and the rest describe it when the
   * repository holds it, else the pointer itself). */
  readonly lfs: { readonly oid: string; readonly size: number; readonly stored: boolean } | null;
};

export type PageData =
  | {
      readonly page: 'home';
      readonly refs: RefNames;
      readonly tree: R<'tree'> | null;
      readonly readmeHtml: string | null;
    }
  | {
      readonly page: 'tree';
      readonly refs: RefNames;
      readonly tree: R<'tree'>;
      readonly readmeHtml: string | null;
    }
  | { readonly page: 'blob'; readonly refs: RefNames; readonly blob: BlobView }
  | { readonly page: 'blame'; readonly blame: R<'blame'>; readonly lines: string[] }
  | {
      readonly page: 'commits';
      readonly refs: RefNames;
      readonly log: R<'log'>;
      /** Combined commit status by commit id (those with any). */
      readonly statuses: Record<string, string>;
    }
  | { readonly page: 'commit'; readonly commit: R<'commit'> }
  | CompareData
  | { readonly page: 'branches'; readonly refs: R<'refs'>; readonly statuses: Record<string, string> }
  | { readonly page: 'tags'; readonly refs: R<'refs'> }
  /** The path names something of the other kind: go there instead. */
  | { readonly page: 'redirect'; readonly to: string };

export interface CompareRepo {
  readonly owner: string;
  readonly name: string;
}

/** `base...head` (see compare-view.ts): the head may be a fork's branch. */
export interface CompareData {
  readonly page: 'compare';
  readonly compare: R<'compare'>;
  /** The base as asked (the default branch when the URL names only the head). */
  readonly base: string;
  readonly head: {
    readonly repo: CompareRepo;
    readonly branch: string;
    /** `branch`, or `forkowner:branch` for a fork's, as pull requests name it. */
    readonly label: string;
    readonly cross: boolean;
  };
  /** Whether the head merges cleanly into the base (both branches), else null. */
  readonly mergeable: { readonly status: string; readonly conflicts: readonly string[] } | null;
  readonly pickers: {
    readonly baseRepos: readonly CompareRepo[];
    readonly headRepos: readonly CompareRepo[];
    readonly baseBranches: readonly string[];
    readonly headBranches: readonly string[];
  };
}

/** What a page's action answers instead of its data (thrown as a `PageExit`). */
export type RepoPageExit =
  | { readonly status: 'not-found'; readonly message: string }
  /** The repository had no room for the page's read in time: a 503, the message shown. */
  | { readonly status: 'busy'; readonly message: string }
  | { readonly status: 'redirect'; readonly to: string };

/** A repository page's data: who looks, the repository's header and tabs, the page's own fields. */
export type RepoPageOk<T> = {
  readonly status: 'ok';
  readonly viewer: Viewer | null;
  readonly repo: RepoView;
} & T;

/** What a repository page's server function answers: the frame (viewer, repository view) with
 * the page's own fields, or a 404, a busy repository's 503 or a redirect instead. */
export type RepoPageResponse<T> =
  | RepoPageOk<T>
  | { readonly status: 'not-found'; readonly viewer: Viewer | null; readonly message: string }
  | { readonly status: 'busy'; readonly message: string }
  /** E.g. `/{owner}/{repo}.git` in a browser: the page lives at the name without `.git`. */
  | { readonly status: 'redirect'; readonly to: string };

export type ViewResponse = RepoPageResponse<{ readonly data: PageData }>;

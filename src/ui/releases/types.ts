/** What the release pages ask the server for, and the data each gets back. */
import type { RepoPageResponse } from '../repo/server/view-types';

export type ReleasePageRequest =
  | { readonly page: 'list'; readonly pageNo: number }
  | { readonly page: 'release'; readonly tag: string }
  | { readonly page: 'new' }
  | { readonly page: 'edit'; readonly tag: string };

export interface ReleasePageInput {
  readonly owner: string;
  readonly repo: string;
  readonly view: ReleasePageRequest;
}

export interface AssetView {
  readonly id: number;
  readonly name: string;
  readonly size: number;
  readonly downloadCount: number;
  readonly url: string;
}

export interface ReleaseView {
  readonly id: number;
  readonly tagName: string;
  readonly target: string;
  readonly name: string;
  readonly body: string;
  /** The notes rendered and sanitized on the server. */
  readonly bodyHtml: string;
  readonly draft: boolean;
  readonly prerelease: boolean;
  readonly latest: boolean;
  readonly author: string | null;
  readonly createdAt: string;
  readonly publishedAt: string | null;
  readonly assets: AssetView[];
}

export type ReleasePageData =
  | {
      readonly page: 'list';
      readonly releases: ReleaseView[];
      readonly pageNo: number;
      readonly hasMore: boolean;
    }
  | { readonly page: 'release'; readonly release: ReleaseView }
  | { readonly page: 'new'; readonly branches: string[] }
  | { readonly page: 'edit'; readonly release: ReleaseView; readonly branches: string[] };

export type ReleasePageResponse = RepoPageResponse<{ canWrite: boolean; data: ReleasePageData }>;

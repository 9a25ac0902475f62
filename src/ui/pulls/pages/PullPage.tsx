import { MarkdownHtml } from '../../issues/components/MarkdownHtml';
import { CommitList } from '../../repo/components/CommitList';
import type { RepoView } from '../../repo/server/view-types';
import { repoUrl } from '../../repo/urls';
import type { Viewer } from '../../server-fns';
import { FilesReview } from '../components/FilesReview';
import { MergeBox } from '../components/MergeBox';
import { PullGateBox } from '../components/PullGateBox';
import { PullState } from '../components/PullState';
import { PullsLayout } from '../components/PullsLayout';
import { PullThread } from '../components/PullThread';
import { ReviewForm } from '../components/ReviewForm';
import type { PullPageData, PullTab } from '../types';

type Data = Extract<PullPageData, { page: 'pull' }>;

const TABS: [PullTab, string, string][] = [
  ['conversation', 'Conversation', ''],
  ['commits', 'Commits', '/commits'],
  ['files', 'Files changed', '/files'],
];

/**
 * The page of one tab route: keyed by number and tab so that moving between tabs (or pull
 * requests) starts the page afresh instead of keeping the previous tab's state.
 */
export function PullTabPage(props: { viewer: Viewer | null; repo: RepoView; canWrite: boolean; data: Data }) {
  return <PullPage key={`${props.data.pull.number}-${props.data.tab}`} {...props} />;
}

/** One pull request: header, tabs, and the tab's content (conversation, commits or files). */
export function PullPage({
  viewer,
  repo,
  canWrite,
  data,
}: {
  viewer: Viewer | null;
  repo: RepoView;
  canWrite: boolean;
  data: Data;
}) {
  const p = data.pull;
  const here = `${repoUrl(repo)}/pull/${p.number}`;
  return (
    <PullsLayout viewer={viewer} repo={repo}>
      <h2 data-testid="pull-title">
        {p.title} <span className="rp-muted">#{p.number}</span>
      </h2>
      <p>
        <PullState pull={p} /> {p.author ?? 'ghost'} wants to merge <code>{p.headBranch}</code>
        {p.headDeleted ? (
          <span className="rp-badge" data-testid="branch-deleted">
            branch deleted
          </span>
        ) : null}{' '}
        into <code>{p.baseBranch}</code>
      </p>
      <nav className="rp-tabs">
        {TABS.map(([tab, label, suffix]) => (
          <a
            key={tab}
            href={`${here}${suffix}`}
            className={`rp-tab${data.tab === tab ? ' rp-tab-active' : ''}`}
          >
            {label}
          </a>
        ))}
      </nav>
      {data.tab === 'conversation' ? (
        <>
          <div className="pr-comment">
            <div className="pr-comment-head">{p.author ?? 'ghost'} opened this pull request</div>
            <div className="pr-comment-body">
              <MarkdownHtml html={p.bodyHtml || '<p><em>No description.</em></p>'} />
            </div>
          </div>
          <PullThread viewer={viewer} repo={repo} number={p.number} comments={data.comments} />
          {data.gate ? <PullGateBox gate={data.gate} /> : null}
          {viewer ? <ReviewForm repo={repo} pull={p} /> : null}
          <MergeBox
            repo={repo}
            pull={p}
            canWrite={canWrite}
            blocked={data.gate?.blocked ?? null}
            autoMerge={data.autoMerge}
          />
        </>
      ) : null}
      {data.tab === 'commits' ? <CommitList repo={repo} commits={data.commits} /> : null}
      {data.tab === 'files' ? (
        <FilesReview
          repo={repo}
          pull={p}
          files={data.files}
          truncated={data.filesTruncated}
          gate={data.gate}
          signedIn={viewer !== null}
        />
      ) : null}
    </PullsLayout>
  );
}

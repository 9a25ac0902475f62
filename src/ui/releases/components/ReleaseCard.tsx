import { MarkdownHtml } from '../../issues/components/MarkdownHtml';
import { formatSize } from '../../repo/format';
import type { RepoView } from '../../repo/server/view-types';
import { urls } from '../../repo/urls';
import type { ReleaseView } from '../types';
import { releaseUrls } from '../urls';

/** One release: its title and marks, notes, assets and the tag's source archives. */
export function ReleaseCard({
  repo,
  release,
  canWrite,
  headingLink,
}: {
  repo: RepoView;
  release: ReleaseView;
  canWrite: boolean;
  /** Link the title to the release's own page (in lists). */
  headingLink: boolean;
}) {
  const title = release.name || release.tagName;
  return (
    <section className="rp-box rl-card" data-testid="release" data-tag={release.tagName}>
      <div className="rl-title">
        <h3>{headingLink ? <a href={releaseUrls.release(repo, release.tagName)}>{title}</a> : title}</h3>
        {release.latest ? <span className="rp-badge rl-badge-latest">Latest</span> : null}
        {release.prerelease ? <span className="rp-badge rl-badge-pre">Pre-release</span> : null}
        {release.draft ? <span className="rp-badge rl-badge-draft">Draft</span> : null}
        {canWrite ? (
          <a className="rp-button" href={releaseUrls.edit(repo, release.tagName)} data-testid="edit-release">
            Edit
          </a>
        ) : null}
      </div>
      <p className="rp-muted">
        <a href={urls.tree(repo, release.tagName)} className="rp-refname">
          {release.tagName}
        </a>{' '}
        · {release.author ?? 'ghost'} {release.draft ? 'drafted' : 'released'} this on{' '}
        {(release.publishedAt ?? release.createdAt).slice(0, 10)}
      </p>
      <MarkdownHtml html={release.bodyHtml} />
      <ul className="rl-assets" data-testid="assets">
        {release.assets.map((a) => (
          <li key={a.id}>
            <a href={a.url} data-testid="asset-link">
              {a.name}
            </a>
            <span className="rp-muted">
              {formatSize(a.size)} · <span data-testid="download-count">{a.downloadCount}</span>{' '}
              {a.downloadCount === 1 ? 'download' : 'downloads'}
            </span>
          </li>
        ))}
        {release.draft ? null : (
          <>
            <li>
              <a href={urls.archive(repo, release.tagName, 'zip')}>Source code (zip)</a>
            </li>
            <li>
              <a href={urls.archive(repo, release.tagName, 'tar.gz')}>Source code (tar.gz)</a>
            </li>
          </>
        )}
      </ul>
    </section>
  );
}

import type { Viewer } from '../../server-fns';
import { Breadcrumbs } from '../components/Breadcrumbs';
import { CodeView } from '../components/CodeView';
import { RefSwitcher } from '../components/RefSwitcher';
import { RepoLayout } from '../components/RepoLayout';
import { formatDate, formatSize } from '../format';
import type { PageData, RepoView } from '../server/view-types';
import { urls } from '../urls';

type Data = Extract<PageData, { page: 'blob' }>;

/** One file: highlighted code with line anchors, rendered markdown, an image, or a download. */
export function BlobPage({ viewer, repo, data }: { viewer: Viewer | null; repo: RepoView; data: Data }) {
  const b = data.blob;
  const ref = b.ref.name;
  const raw = urls.raw(repo, ref, b.path);
  return (
    <RepoLayout viewer={viewer} repo={repo} tab="code">
      <div className="rp-toolbar">
        <RefSwitcher repo={repo} refs={data.refs} current={ref} target="blob" path={b.path} />
        <Breadcrumbs repo={repo} refName={ref} path={b.path} />
      </div>
      <div className="rp-box">
        <div className="rp-box-head rp-blob-head">
          <span className="rp-muted">
            {b.lines ? `${b.lines.length} lines · ` : ''}
            {formatSize(b.size)}
            {b.lfs ? (
              <span className="rp-lfs" data-testid="lfs" title={`sha256:${b.lfs.oid}`}>
                {' · Stored with Git LFS'}
                {b.lfs.stored ? '' : ' (the object is not on this server)'}
              </span>
            ) : null}
            {b.mode === '100755' ? ' · executable' : ''}
            {b.mode === '120000' ? ' · symbolic link' : ''}
          </span>
          <span className="rp-spacer" />
          <a className="rp-button" href={raw}>
            Raw
          </a>
          <a className="rp-button" href={urls.blame(repo, ref, b.path)}>
            Blame
          </a>
          <a className="rp-button" href={urls.commits(repo, ref, b.path)}>
            History
          </a>
        </div>
        <div className="rp-muted rp-blob-commit">
          Last commit on this ref: <a href={urls.commit(repo, b.commit.oid)}>{b.commit.summary}</a> (
          {formatDate(b.commit.committer.time)})
        </div>
        {b.mode === '160000' ? <p className="rp-note">Submodule at commit {b.oid}.</p> : null}
        {b.image ? (
          <div className="rp-image">
            <img src={raw} alt={b.path} />
          </div>
        ) : b.tooLarge ? (
          <p className="rp-note" data-testid="too-large">
            This file is too large to display ({formatSize(b.size)}). <a href={raw}>Download it</a>.
          </p>
        ) : b.binary ? (
          <p className="rp-note" data-testid="binary">
            Binary file not shown. <a href={raw}>Download it</a>.
          </p>
        ) : b.markdownHtml ? (
          <>
            <div
              className="rp-markdown"
              data-testid="markdown"
              // biome-ignore lint/security/noDangerouslySetInnerHtml: sanitized on the server (sanitize-html allow-list)
              dangerouslySetInnerHTML={{ __html: b.markdownHtml }}
            />
            <details className="rp-source">
              <summary>Source</summary>
              <CodeView lines={b.lines ?? []} language={b.language} />
            </details>
          </>
        ) : b.lines ? (
          <CodeView lines={b.lines} language={b.language} />
        ) : null}
      </div>
    </RepoLayout>
  );
}

import type { Viewer } from '../../server-fns';
import { Breadcrumbs } from '../components/Breadcrumbs';
import { RepoLayout } from '../components/RepoLayout';
import { formatDate, shortOid } from '../format';
import type { PageData, RepoView } from '../server/view-types';
import { urls } from '../urls';

type Data = Extract<PageData, { page: 'blame' }>;

/** Each run of lines with the commit that last changed it. */
export function BlamePage({ viewer, repo, data }: { viewer: Viewer | null; repo: RepoView; data: Data }) {
  const b = data.blame;
  return (
    <RepoLayout viewer={viewer} repo={repo} tab="code">
      <div className="rp-toolbar">
        <Breadcrumbs repo={repo} refName={b.ref.name} path={b.path} />
        <span className="rp-spacer" />
        <a className="rp-button" href={urls.blob(repo, b.ref.name, b.path)}>
          Normal view
        </a>
      </div>
      <div className="rp-box rp-code-wrap">
        <table className="rp-code rp-blame" data-testid="blame">
          <tbody>
            {b.ranges.flatMap((r) => {
              const c = b.commits[r.commit];
              return Array.from({ length: r.count }, (_, k) => {
                const n = r.start + k;
                return (
                  <tr key={n} id={`L${n}`} className={k === 0 ? 'rp-blame-first' : undefined}>
                    <td className="rp-blame-info">
                      {k === 0 ? (
                        <>
                          <a href={urls.commit(repo, r.commit)} title={c?.message}>
                            {shortOid(r.commit)}
                          </a>{' '}
                          <span className="rp-blame-msg">{c?.summary}</span>{' '}
                          <span className="rp-muted">
                            {c?.author.name}, {c ? formatDate(c.committer.time) : ''}
                            {r.boundary ? ' (or older)' : ''}
                          </span>
                        </>
                      ) : null}
                    </td>
                    <td className="rp-ln">
                      <a href={`#L${n}`}>{n}</a>
                    </td>
                    <td
                      className="rp-lc hljs"
                      // biome-ignore lint/security/noDangerouslySetInnerHtml: escaped by the highlighter on the server
                      dangerouslySetInnerHTML={{ __html: data.lines[n - 1] ?? '' }}
                    />
                  </tr>
                );
              });
            })}
          </tbody>
        </table>
      </div>
    </RepoLayout>
  );
}

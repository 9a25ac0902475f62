import type { ReactNode } from 'react';
import type { FileDiff } from '../../../git/browse/request';
import type { RepoView } from '../server/view-types';
import { urls } from '../urls';

const STATUS_LABEL: Record<string, string> = {
  added: 'added',
  deleted: 'deleted',
  modified: 'modified',
  renamed: 'renamed',
  typechange: 'type changed',
};

const OMITTED: Record<string, string> = {
  'too-large': 'This file is too large to show its diff.',
  budget: 'Diff not shown: this change is large.',
  timeout: 'Diff not shown: it took too long to compute.',
  truncated: 'Diff truncated: only the first lines are shown.',
};

function FileHeader({ f }: { f: FileDiff }) {
  const name = f.status === 'renamed' ? `${f.oldPath} → ${f.newPath}` : (f.newPath ?? f.oldPath);
  return (
    <div className="rp-box-head rp-diff-head">
      <span className={`rp-status rp-status-${f.status}`}>{STATUS_LABEL[f.status]}</span>
      <strong className="rp-diff-name">{name}</strong>
      {f.additions !== null ? (
        <span className="rp-counts">
          <span className="rp-add">+{f.additions}</span> <span className="rp-del">−{f.deletions}</span>
        </span>
      ) : null}
    </div>
  );
}

/**
 * Unified per-file diffs with +/- counts, rename and binary notes. A pull request's files tab
 * passes `onLine` (new-side line numbers become buttons) and `annotate` (a row under a line, for
 * its review comments).
 */
export function DiffView({
  repo,
  files,
  newRef,
  truncated,
  onLine,
  annotate,
}: {
  repo: RepoView;
  files: FileDiff[];
  newRef: string;
  truncated: boolean;
  onLine?: (path: string, line: number) => void;
  annotate?: (path: string, line: number) => ReactNode;
}) {
  const adds = files.reduce((n, f) => n + (f.additions ?? 0), 0);
  const dels = files.reduce((n, f) => n + (f.deletions ?? 0), 0);
  return (
    <section className="rp-diff" data-testid="diff">
      <p className="rp-muted">
        {files.length} changed file{files.length === 1 ? '' : 's'} with{' '}
        <span className="rp-add">
          {adds} addition{adds === 1 ? '' : 's'}
        </span>{' '}
        and{' '}
        <span className="rp-del">
          {dels} deletion{dels === 1 ? '' : 's'}
        </span>
        {truncated ? ' (list truncated)' : ''}
      </p>
      {files.map((f) => (
        <article key={`${f.oldPath}->${f.newPath}`} className="rp-box rp-diff-file">
          <FileHeader f={f} />
          {f.newPath && f.status !== 'deleted' ? (
            <div className="rp-diff-links">
              <a href={urls.blob(repo, newRef, f.newPath)}>View file</a>
            </div>
          ) : null}
          {f.binary ? <p className="rp-note">Binary file not shown.</p> : null}
          {f.omitted ? <p className="rp-note">{OMITTED[f.omitted]}</p> : null}
          {f.status === 'renamed' && f.oldOid === f.newOid ? (
            <p className="rp-note">File renamed without changes.</p>
          ) : null}
          {f.hunks.length > 0 ? (
            <div className="rp-code-wrap">
              <table className="rp-code rp-diff-table">
                <tbody>
                  {f.hunks.map((h) => [
                    <tr key={`h${h.oldStart}-${h.newStart}`} className="rp-hunk">
                      <td className="rp-ln" />
                      <td className="rp-ln" />
                      <td className="rp-lc">{`@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@`}</td>
                    </tr>,
                    ...h.lines.flatMap((l) => {
                      const path = f.newPath;
                      const note = path && l.newNo !== null ? annotate?.(path, l.newNo) : null;
                      return [
                        <tr key={`${l.oldNo}:${l.newNo}`} className={`rp-line-${l.kind}`}>
                          <td className="rp-ln">{l.oldNo ?? ''}</td>
                          <td className="rp-ln">
                            {onLine && path && l.newNo !== null ? (
                              <button
                                type="button"
                                className="rp-ln-button"
                                aria-label={`Comment on ${path} line ${l.newNo}`}
                                onClick={() => onLine(path, l.newNo as number)}
                              >
                                {l.newNo}
                              </button>
                            ) : (
                              (l.newNo ?? '')
                            )}
                          </td>
                          <td className="rp-lc">
                            <span className="rp-sign">
                              {l.kind === 'add' ? '+' : l.kind === 'del' ? '-' : ' '}
                            </span>
                            {l.text}
                          </td>
                        </tr>,
                        note ? (
                          <tr key={`${l.oldNo}:${l.newNo}:note`} className="rp-line-note">
                            <td colSpan={3}>{note}</td>
                          </tr>
                        ) : null,
                      ];
                    }),
                  ])}
                </tbody>
              </table>
            </div>
          ) : null}
        </article>
      ))}
    </section>
  );
}

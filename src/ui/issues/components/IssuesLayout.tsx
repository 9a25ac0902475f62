import type { ReactNode } from 'react';
import { RepoLayout, type RepoTab } from '../../repo/components/RepoLayout';
import type { RepoView } from '../../repo/server/view-types';
import type { Viewer } from '../../server-fns';

// RepoLayout already links an "Issues" tab but its `tab` type lists only the code tabs; the
// string still selects the right tab at run time. Drop the cast once RepoTab includes 'issues'.
const ISSUES_TAB = 'issues' as RepoTab;

/** The repository frame with the Issues tab selected. */
export function IssuesLayout({
  viewer,
  repo,
  children,
}: {
  viewer: Viewer | null;
  repo: RepoView;
  children: ReactNode;
}) {
  return (
    <RepoLayout viewer={viewer} repo={repo} tab={ISSUES_TAB}>
      <div className="is-page">{children}</div>
    </RepoLayout>
  );
}

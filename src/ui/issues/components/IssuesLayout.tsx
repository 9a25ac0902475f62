import type { ReactNode } from 'react';
import { RepoLayout } from '../../repo/components/RepoLayout';
import type { RepoView } from '../../repo/server/view-types';
import type { Viewer } from '../../server-fns';

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
    <RepoLayout viewer={viewer} repo={repo} tab={'issues'}>
      <div className="is-page">{children}</div>
    </RepoLayout>
  );
}

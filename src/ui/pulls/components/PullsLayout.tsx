import type { ReactNode } from 'react';
import { RepoLayout, type RepoTab } from '../../repo/components/RepoLayout';
import type { RepoView } from '../../repo/server/view-types';
import type { Viewer } from '../../server-fns';

// RepoLayout links a "Pull requests" tab but its `tab` type lists only the code tabs; the string
// still selects the tab at run time. Drop the cast once RepoTab includes 'pulls'.
const PULLS_TAB = 'pulls' as RepoTab;

export function PullsLayout({
  viewer,
  repo,
  children,
}: {
  viewer: Viewer | null;
  repo: RepoView;
  children: ReactNode;
}) {
  return (
    <RepoLayout viewer={viewer} repo={repo} tab={PULLS_TAB}>
      {children}
    </RepoLayout>
  );
}

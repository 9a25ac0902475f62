import type { ReactNode } from 'react';
import { ForkButton, ForkedFrom } from '../../forks/ForkButton';
import { Page } from '../../Layout';
import { SourceNote } from '../../migrate/SourceNote';
import type { Viewer } from '../../server-fns';
import type { RepoView } from '../server/view-types';
import { repoUrl, urls } from '../urls';

export type RepoTab = 'code' | 'commits' | 'branches' | 'tags' | 'releases' | 'issues' | 'pulls' | 'settings';

/** The repository's title and tabs around every repository page. */
export function RepoLayout({
  viewer,
  repo,
  tab,
  children,
}: {
  viewer: Viewer | null;
  repo: RepoView;
  tab: RepoTab;
  children: ReactNode;
}) {
  const tabs: { id: RepoTab; label: string; href: string }[] = [
    { id: 'code', label: 'Code', href: urls.home(repo) },
    { id: 'commits', label: 'Commits', href: urls.commits(repo, repo.defaultBranch) },
    { id: 'branches', label: 'Branches', href: urls.branches(repo) },
    { id: 'tags', label: 'Tags', href: urls.tags(repo) },
    { id: 'releases', label: 'Releases', href: `${repoUrl(repo)}/releases` },
    { id: 'issues', label: 'Issues', href: `${repoUrl(repo)}/issues` },
    { id: 'pulls', label: 'Pull requests', href: `${repoUrl(repo)}/pulls` },
    ...(repo.canAdmin
      ? [{ id: 'settings' as const, label: 'Settings', href: `${repoUrl(repo)}/settings` }]
      : []),
  ];
  return (
    <Page viewer={viewer}>
      <div className="rp-repo">
        <header className="rp-repo-head">
          <h1 className="rp-repo-title">
            <a href={`/${encodeURIComponent(repo.owner)}`}>{repo.owner}</a>
            <span className="rp-sep">/</span>
            <a href={urls.home(repo)}>
              <strong>{repo.name}</strong>
            </a>
            {repo.private ? (
              <span className="rp-badge">Private</span>
            ) : (
              <span className="rp-badge">Public</span>
            )}
            {repo.archived ? (
              <span className="rp-badge rp-badge-archived" data-testid="archived-badge">
                Archived
              </span>
            ) : null}
            <ForkButton viewer={viewer} repo={repo} />
          </h1>
          <ForkedFrom repo={repo} />
          <nav className="rp-tabs" aria-label="Repository">
            {tabs.map((t) => (
              <a
                key={t.id}
                href={t.href}
                className={t.id === tab ? 'rp-tab rp-tab-active' : 'rp-tab'}
                aria-current={t.id === tab ? 'page' : undefined}
              >
                {t.label}
              </a>
            ))}
          </nav>
          {repo.source && <SourceNote repo={repo} source={repo.source} />}
          {repo.archived ? (
            <p className="rp-repo-source" role="note">
              This repository is archived. You can view files and clone it, but cannot push or open issues or
              pull requests.
            </p>
          ) : null}
        </header>
        <div className="rp-repo-main">{children}</div>
      </div>
    </Page>
  );
}

export function NotFoundPage({ message }: { message?: string }) {
  return (
    <main className="rp-repo rp-notfound">
      <h1>404 — Not found</h1>
      <p>{message ?? 'There is nothing here, or you do not have access to it.'}</p>
      <p>
        <a href="/">Go home</a>
      </p>
    </main>
  );
}

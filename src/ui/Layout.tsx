// The page frame: header with sign-in state (the base stylesheet is linked by the root route).
import { Link } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import type { Viewer } from './server-fns';

/**
 * A route's head naming its page. The title goes through the router's head, not a <title> in the
 * page: that one would sit beside the root's default, and a browser without scripts shows the first.
 */
export function pageHead(title: string) {
  return { meta: [{ title: `${title} · Gitflare` }] };
}

export function Page({
  viewer,
  narrow,
  children,
}: {
  viewer: Viewer | null;
  narrow?: boolean;
  children: ReactNode;
}) {
  return (
    <>
      <header className="gf-header">
        <Link to="/" className="brand">
          Gitflare
        </Link>
        <a href="/explore">Explore</a>
        {viewer ? (
          <>
            <a href="/new">New repository</a>
            <a href="/organizations/new">New organization</a>
            <a href={`/${encodeURIComponent(viewer.username)}`}>{viewer.username}</a>
            <a href="/settings">Settings</a>
            <SignOutButton />
          </>
        ) : (
          <>
            <a href="/login">Sign in</a>
            <a href="/signup">Sign up</a>
          </>
        )}
      </header>
      <main className={narrow ? 'gf-main gf-narrow' : 'gf-main'}>{children}</main>
    </>
  );
}

function SignOutButton() {
  return (
    <form
      method="post"
      action="/api/auth/sign-out"
      onSubmit={async (e) => {
        e.preventDefault();
        await fetch('/api/auth/sign-out', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{}',
        });
        window.location.assign('/');
      }}
    >
      <button type="submit">Sign out</button>
    </form>
  );
}

/** POSTs JSON to the API with the session cookie; the parsed answer or an Error with its message. */
export async function postJson<T>(path: string, body: unknown, method = 'POST'): Promise<T> {
  const res = await fetch(path, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = null;
  }
  if (!res.ok) {
    const message = (parsed as { message?: string } | null)?.message ?? `request failed (${res.status})`;
    throw new Error(message);
  }
  return parsed as T;
}

export function ErrorLine({ error }: { error: string | null }) {
  return error ? (
    <p className="gf-error" role="alert">
      {error}
    </p>
  ) : null;
}

export function RepoList({
  repos,
  empty,
}: {
  repos: { owner: string; name: string; description: string; private: boolean }[];
  empty: ReactNode;
}) {
  if (repos.length === 0) return <p className="gf-note">{empty}</p>;
  return (
    <ul className="gf-list">
      {repos.map((r) => (
        <li key={`${r.owner}/${r.name}`}>
          <span className="grow">
            <a href={`/${encodeURIComponent(r.owner)}/${encodeURIComponent(r.name)}`}>
              {r.owner}/{r.name}
            </a>
            {r.description ? <span className="gf-note"> — {r.description}</span> : null}
          </span>
          {r.private ? <span className="gf-badge">Private</span> : null}
        </li>
      ))}
    </ul>
  );
}

import { useState } from 'react';
import { ErrorLine, postJson } from '../../Layout';
import { RepoLayout } from '../../repo/components/RepoLayout';
import { formatSize } from '../../repo/format';
import type { RepoView } from '../../repo/server/view-types';
import type { Viewer } from '../../server-fns';
import type { ReleasePageData, ReleaseView } from '../types';
import { releaseUrls } from '../urls';

type FormData_ = Extract<ReleasePageData, { page: 'new' | 'edit' }>;

/** Uploads files as assets of the release, one multipart request each (the API's own form). */
async function uploadAssets(api: string, releaseId: number, files: File[]): Promise<void> {
  for (const file of files) {
    const form = new FormData();
    form.append('attachment', file, file.name);
    const res = await fetch(`${api}/${releaseId}/assets?name=${encodeURIComponent(file.name)}`, {
      method: 'POST',
      body: form,
    });
    if (!res.ok) {
      const message = ((await res.json().catch(() => null)) as { message?: string } | null)?.message;
      throw new Error(`${file.name}: ${message ?? `upload failed (${res.status})`}`);
    }
  }
}

/** `/releases/new` and `/releases/edit/{tag}`, for writers: the release's fields and its assets. */
export function ReleaseFormPage({
  viewer,
  repo,
  data,
}: {
  viewer: Viewer | null;
  repo: RepoView;
  data: FormData_;
}) {
  const existing: ReleaseView | null = data.page === 'edit' ? data.release : null;
  const api = releaseUrls.api(repo);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [assets, setAssets] = useState(existing?.assets ?? []);

  const run = async (f: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await f();
    } catch (err) {
      setError((err as Error).message);
      setBusy(false);
    }
  };

  const submit = (form: HTMLFormElement, draft: boolean) =>
    run(async () => {
      const f = new FormData(form);
      const fields = {
        tag_name: String(f.get('tag_name') ?? '').trim(),
        target_commitish: String(f.get('target_commitish') ?? ''),
        name: String(f.get('name') ?? ''),
        body: String(f.get('body') ?? ''),
        prerelease: f.get('prerelease') === 'on',
        draft,
      };
      const release = existing
        ? await postJson<{ id: number; tag_name: string }>(`${api}/${existing.id}`, fields, 'PATCH')
        : await postJson<{ id: number; tag_name: string }>(api, fields);
      const files = (f.getAll('assets') as File[]).filter((file) => file.size > 0 || file.name !== '');
      await uploadAssets(api, release.id, files);
      window.location.assign(releaseUrls.release(repo, release.tag_name));
    });

  return (
    <RepoLayout viewer={viewer} repo={repo} tab="releases">
      <h2>{existing ? `Edit release ${existing.tagName}` : 'New release'}</h2>
      <form
        className="is-form"
        data-testid="release-form"
        onSubmit={(e) => {
          e.preventDefault();
          const submitter = (e.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null;
          void submit(e.currentTarget, submitter?.value === 'draft');
        }}
      >
        <label htmlFor="tag_name">Tag</label>
        <input
          id="tag_name"
          name="tag_name"
          required
          maxLength={255}
          defaultValue={existing?.tagName ?? ''}
        />
        <label htmlFor="target_commitish">Target (used when the tag does not exist yet)</label>
        <select
          id="target_commitish"
          name="target_commitish"
          defaultValue={existing?.target ?? repo.defaultBranch}
        >
          {data.branches.map((b) => (
            <option key={b} value={b}>
              {b}
            </option>
          ))}
        </select>
        <label htmlFor="name">Title</label>
        <input id="name" name="name" maxLength={255} defaultValue={existing?.name ?? ''} />
        <label htmlFor="body">Release notes (Markdown)</label>
        <textarea id="body" name="body" rows={12} maxLength={65536} defaultValue={existing?.body ?? ''} />
        <div className="rl-checks">
          <label>
            <input type="checkbox" name="prerelease" defaultChecked={existing?.prerelease ?? false} /> This is
            a pre-release
          </label>
        </div>
        <label htmlFor="assets">Attach binaries</label>
        <input id="assets" name="assets" type="file" multiple />
        {assets.length > 0 ? (
          <ul className="rl-assets" data-testid="existing-assets">
            {assets.map((a) => (
              <li key={a.id}>
                <span>
                  {a.name} <span className="rp-muted">{formatSize(a.size)}</span>
                </span>
                <button
                  type="button"
                  disabled={busy}
                  onClick={() =>
                    run(async () => {
                      await postJson(`${api}/${existing?.id}/assets/${a.id}`, undefined, 'DELETE');
                      setAssets((list) => list.filter((x) => x.id !== a.id));
                      setBusy(false);
                    })
                  }
                >
                  Delete {a.name}
                </button>
              </li>
            ))}
          </ul>
        ) : null}
        <ErrorLine error={error} />
        <div className="gf-actions">
          <button className="primary" type="submit" value="publish" disabled={busy} data-testid="publish">
            {existing && !existing.draft ? 'Update release' : 'Publish release'}
          </button>
          {!existing || existing.draft ? (
            <button type="submit" value="draft" disabled={busy} data-testid="save-draft">
              Save draft
            </button>
          ) : null}
          {existing ? (
            <button
              type="button"
              disabled={busy}
              data-testid="delete-release"
              onClick={() => {
                if (!confirmDelete) {
                  setConfirmDelete(true);
                  return;
                }
                void run(async () => {
                  await postJson(`${api}/${existing.id}`, undefined, 'DELETE');
                  window.location.assign(releaseUrls.list(repo));
                });
              }}
            >
              {confirmDelete ? 'Really delete this release' : 'Delete release'}
            </button>
          ) : null}
        </div>
      </form>
    </RepoLayout>
  );
}

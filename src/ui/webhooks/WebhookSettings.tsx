/**
 * Settings → Webhooks: the repository's hooks with their last deliveries, a form to add one, and
 * the test, redeliver and delete buttons. Everything goes through the hooks API with the
 * session (its validation, and its admin check, apply unchanged); the list loads in the browser.
 */
import { ErrorLine, postJson } from '../Layout';
import type { RepoView } from '../repo/server/view-types';
import { useManagedList } from '../use-managed-list';

const EVENTS = ['push', 'create', 'delete', 'issues', 'issue_comment', 'pull_request'] as const;

interface Hook {
  id: number;
  config: { url: string };
  events: string[];
  branch_filter: string;
  active: boolean;
}

interface Delivery {
  id: number;
  event: string;
  status: string;
  status_code: number | null;
  attempts: number;
  created_at: string;
  response: { error: string };
}

function hooksApi(repo: Pick<RepoView, 'owner' | 'name'>): string {
  return `/api/v1/repos/${encodeURIComponent(repo.owner)}/${encodeURIComponent(repo.name)}/hooks`;
}

export function WebhookSettings({ repo }: { repo: RepoView }) {
  const api = hooksApi(repo);
  const {
    items: hooks,
    busy,
    error,
    act,
    addFrom,
  } = useManagedList(api, async () => {
    const list = await postJson<Hook[]>(api, undefined, 'GET');
    return Promise.all(
      list.map(async (h) => ({
        ...h,
        deliveries: await postJson<Delivery[]>(`${api}/${h.id}/deliveries`, undefined, 'GET'),
      })),
    );
  });

  const hookFromForm = (data: FormData) => ({
    type: 'gitea',
    config: {
      url: String(data.get('url') ?? ''),
      content_type: 'json',
      secret: String(data.get('secret') ?? ''),
    },
    events: data.getAll('events').map(String),
    branch_filter: String(data.get('branch_filter') ?? ''),
    active: true,
  });

  return (
    <section className="st-section" aria-labelledby="st-hooks">
      <h3 id="st-hooks">Webhooks</h3>
      {hooks === null ? (
        <p className="gf-note">Loading…</p>
      ) : hooks.length === 0 ? (
        <p className="gf-note">No webhooks yet.</p>
      ) : (
        <ul className="gf-list" data-testid="hook-list">
          {hooks.map((h) => (
            <li key={h.id} data-testid="hook" data-url={h.config.url}>
              <div className="grow">
                <code>{h.config.url}</code>
                <span className="gf-note">
                  {' '}
                  — {h.events.join(', ')}
                  {h.branch_filter ? ` on ${h.branch_filter}` : ''}
                  {h.active ? '' : ' (inactive)'}
                </span>
                {h.deliveries.length > 0 ? (
                  <table className="st-deliveries" data-testid="deliveries">
                    <tbody>
                      {h.deliveries.slice(0, 5).map((d) => (
                        <tr key={d.id} data-testid="delivery" data-status={d.status}>
                          <td>{d.event}</td>
                          <td>{d.status}</td>
                          <td>{d.status_code ?? d.response.error}</td>
                          <td>
                            {d.attempts} attempt{d.attempts === 1 ? '' : 's'}
                          </td>
                          <td>
                            <button
                              type="button"
                              disabled={busy}
                              onClick={() =>
                                act(() => postJson(`${api}/${h.id}/deliveries/${d.id}/attempts`, {}))
                              }
                            >
                              Redeliver
                            </button>
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                ) : null}
              </div>
              <button
                type="button"
                disabled={busy}
                onClick={() => act(() => postJson(`${api}/${h.id}/tests`, {}))}
              >
                Test delivery
              </button>
              <button
                type="button"
                disabled={busy}
                onClick={() => act(() => postJson(`${api}/${h.id}`, undefined, 'DELETE'))}
              >
                Delete
              </button>
            </li>
          ))}
        </ul>
      )}
      <form
        onSubmit={(e) => addFrom(e, (data) => postJson(api, hookFromForm(data)))}
        aria-label="Add webhook"
      >
        <label>
          Payload URL <input name="url" type="url" required />
        </label>
        <label>
          Secret <input name="secret" type="password" autoComplete="off" />
        </label>
        <label>
          Branch filter <input name="branch_filter" placeholder="*" />
        </label>
        <fieldset>
          <legend>Events</legend>
          {EVENTS.map((e) => (
            <label key={e}>
              <input type="checkbox" name="events" value={e} defaultChecked={e === 'push'} /> {e}
            </label>
          ))}
        </fieldset>
        <button type="submit" disabled={busy}>
          Add webhook
        </button>
      </form>
      <ErrorLine error={error} />
    </section>
  );
}

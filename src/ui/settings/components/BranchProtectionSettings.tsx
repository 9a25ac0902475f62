/**
 * Settings → Branches: the repository's protection rules, a form to add one, and on each an edit
 * form (PATCH; a rule's name is its key and stays) and a delete button. Everything goes through
 * the branch_protections API with the session, so its validation and its admin check apply
 * unchanged; the list loads in the browser and is reloaded from the API after each change.
 */
import { type FormEvent, useState } from 'react';
import { ErrorLine, postJson } from '../../Layout';
import type { RepoView } from '../../repo/server/view-types';
import { useManagedList } from '../../use-managed-list';
import { repoApi } from '../urls';

interface Rule {
  rule_name: string;
  enable_push: boolean;
  enable_push_whitelist: boolean;
  push_whitelist_usernames: string[];
  enable_force_push: boolean;
  required_approvals: number;
  enable_status_check: boolean;
  status_check_contexts: string[];
  block_on_rejected_reviews: boolean;
  dismiss_stale_approvals: boolean;
}

/** A comma- or space-separated list as the API's string array. */
function words(v: FormDataEntryValue | null): string[] {
  return String(v ?? '')
    .split(/[\s,]+/)
    .filter((s) => s !== '');
}

function summary(r: Rule): string {
  const parts = [
    !r.enable_push
      ? 'no pushes'
      : r.enable_push_whitelist
        ? `push: ${r.push_whitelist_usernames.join(', ') || 'nobody'}`
        : 'push: writers',
    r.enable_force_push ? 'force push allowed' : 'no force push',
    `${r.required_approvals} approval${r.required_approvals === 1 ? '' : 's'}`,
  ];
  if (r.enable_status_check) parts.push(`checks: ${r.status_check_contexts.join(', ')}`);
  if (r.block_on_rejected_reviews) parts.push('blocked by requested changes');
  if (r.dismiss_stale_approvals) parts.push('stale approvals dismissed');
  return parts.join(' · ');
}

/** The rule the form describes, in the API's shape (an allowlist or contexts switch their flag on). */
function ruleFromForm(data: FormData) {
  const allow = words(data.get('push_whitelist_usernames'));
  const contexts = words(data.get('status_check_contexts'));
  return {
    rule_name: String(data.get('rule_name') ?? '').trim(),
    enable_push: data.get('enable_push') === 'on',
    enable_push_whitelist: allow.length > 0,
    push_whitelist_usernames: allow,
    enable_force_push: data.get('enable_force_push') === 'on',
    required_approvals: Number(data.get('required_approvals') ?? 0),
    enable_status_check: contexts.length > 0,
    status_check_contexts: contexts,
    block_on_rejected_reviews: data.get('block_on_rejected_reviews') === 'on',
    dismiss_stale_approvals: data.get('dismiss_stale_approvals') === 'on',
  };
}

const FLAGS = [
  ['enable_push', 'Allow pushes (by writers, or only the allowlist below)'],
  ['enable_force_push', 'Allow force pushes'],
  ['block_on_rejected_reviews', 'Block merging while changes are requested'],
  ['dismiss_stale_approvals', 'Dismiss approvals when new commits are pushed'],
] as const;

/** What the add form starts from. */
const NEW_RULE: Rule = {
  rule_name: '',
  enable_push: true,
  enable_push_whitelist: false,
  push_whitelist_usernames: [],
  enable_force_push: false,
  required_approvals: 0,
  enable_status_check: false,
  status_check_contexts: [],
  block_on_rejected_reviews: false,
  dismiss_stale_approvals: false,
};

/** A rule's settings as form fields, filled with `rule`'s values (the add and the edit form). */
function RuleInputs({ rule }: { rule: Rule }) {
  return (
    <>
      {FLAGS.map(([name, label]) => (
        <label key={name}>
          <input type="checkbox" name={name} defaultChecked={rule[name]} /> {label}
        </label>
      ))}
      <label>
        Push allowlist (usernames){' '}
        <input
          name="push_whitelist_usernames"
          placeholder="alice, bob"
          defaultValue={rule.enable_push_whitelist ? rule.push_whitelist_usernames.join(', ') : ''}
        />
      </label>
      <label>
        Required approvals{' '}
        <input
          name="required_approvals"
          type="number"
          min={0}
          max={100}
          defaultValue={rule.required_approvals}
        />
      </label>
      <label>
        Required status checks (contexts){' '}
        <input
          name="status_check_contexts"
          placeholder="ci/build, ci/test"
          defaultValue={rule.enable_status_check ? rule.status_check_contexts.join(', ') : ''}
        />
      </label>
    </>
  );
}

export function BranchProtectionSettings({ repo }: { repo: RepoView }) {
  const api = `${repoApi(repo)}/branch_protections`;
  const {
    items: rules,
    busy,
    error,
    act,
    addFrom,
  } = useManagedList(api, () => postJson<Rule[]>(api, undefined, 'GET'));
  const [editing, setEditing] = useState<string | null>(null);

  const save = async (e: FormEvent<HTMLFormElement>, name: string) => {
    e.preventDefault();
    // The name is the rule's key: PATCH edits everything else.
    const { rule_name: _, ...fields } = ruleFromForm(new FormData(e.currentTarget));
    const rulePath = `${api}/${encodeURIComponent(name)}`;
    if (await act(() => postJson(rulePath, fields, 'PATCH'))) setEditing(null);
  };

  return (
    <section className="st-section" aria-labelledby="st-branches">
      <h3 id="st-branches">Branches</h3>
      {rules === null ? (
        <p className="gf-note">Loading…</p>
      ) : rules.length === 0 ? (
        <p className="gf-note">No protected branches yet.</p>
      ) : (
        <ul className="gf-list" data-testid="protection-list">
          {rules.map((r) => (
            <li key={r.rule_name} data-testid="protection-rule" data-rule={r.rule_name}>
              <span className="grow">
                <code>{r.rule_name}</code> <span className="gf-note">— {summary(r)}</span>
              </span>
              <button
                type="button"
                disabled={busy}
                onClick={() => setEditing(editing === r.rule_name ? null : r.rule_name)}
              >
                Edit
              </button>
              <button
                type="button"
                disabled={busy}
                onClick={() =>
                  act(() => postJson(`${api}/${encodeURIComponent(r.rule_name)}`, undefined, 'DELETE'))
                }
              >
                Delete
              </button>
              {editing === r.rule_name && (
                <form onSubmit={(e) => save(e, r.rule_name)} aria-label={`Edit rule ${r.rule_name}`}>
                  <RuleInputs rule={r} />
                  <button type="submit" disabled={busy}>
                    Save rule
                  </button>
                </form>
              )}
            </li>
          ))}
        </ul>
      )}
      <form
        onSubmit={(e) => addFrom(e, (data) => postJson(api, ruleFromForm(data)))}
        aria-label="Add protection rule"
      >
        <label>
          Branch name or pattern <input name="rule_name" required placeholder="main, release/*" />
        </label>
        <RuleInputs rule={NEW_RULE} />
        <button type="submit" disabled={busy}>
          Add rule
        </button>
      </form>
      <ErrorLine error={error} />
    </section>
  );
}

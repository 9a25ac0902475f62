import { StatusMark } from '../../repo/components/StatusMark';
import type { PullGate } from '../types';

const REVIEW_WORDS = { APPROVED: 'approved', REQUEST_CHANGES: 'requested changes', COMMENT: 'reviewed' };

/** The pull request's checks (latest status per context) and reviews, and what the rule still asks. */
export function PullGateBox({ gate }: { gate: PullGate }) {
  return (
    <>
      {gate.reviews.map((r) => (
        <div className="pr-comment" key={r.id} id={`review-${r.id}`} data-testid="review">
          <div className="pr-comment-head">
            {r.reviewer ?? 'ghost'} <strong data-testid="review-state">{REVIEW_WORDS[r.state]}</strong>
            {r.dismissed ? (
              <span className="rp-badge">dismissed</span>
            ) : r.stale ? (
              <span className="rp-badge">outdated</span>
            ) : null}
          </div>
          {r.body || r.comments.length > 0 ? (
            <div className="pr-comment-body">
              {r.body ? <p>{r.body}</p> : null}
              {r.comments.map((c) => (
                <p key={`${c.path}:${c.newPosition}:${c.body}`} data-testid="review-line-comment">
                  <code>
                    {c.path}:{c.newPosition}
                  </code>{' '}
                  {c.body}
                </p>
              ))}
            </div>
          ) : null}
        </div>
      ))}
      <div className="pr-comment" data-testid="pull-checks">
        <div className="pr-comment-head">
          <StatusMark state={gate.combined} />{' '}
          {gate.checks.length === 0 ? 'No status checks' : 'Status checks'}
        </div>
        {gate.checks.length > 0 ? (
          <ul className="ci-checks">
            {gate.checks.map((c) => (
              <li key={c.context} data-testid="pull-check">
                <StatusMark state={c.state} /> <strong>{c.context}</strong> {c.description}{' '}
                {c.targetUrl ? (
                  <a href={c.targetUrl} rel="nofollow noopener noreferrer">
                    Details
                  </a>
                ) : null}
              </li>
            ))}
          </ul>
        ) : null}
        {gate.rule !== null ? (
          <p data-testid="pull-gate">
            {gate.blocked === null
              ? `The rules of '${gate.rule}' are met.`
              : `Merging is blocked: ${gate.blocked}`}
          </p>
        ) : null}
      </div>
    </>
  );
}

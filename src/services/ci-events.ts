/**
 * The CI loop's events, each raised from exactly one place once it is stored: a commit status
 * created (src/api/statuses.ts) and a pull-request review submitted (src/api/reviews.ts).
 * Webhook delivery (`status`, `pull_request_review` events) hooks in here.
 */
import type { RepoRecord } from '../db/repos';
import type { ReviewRecord } from '../db/reviews';
import type { StatusRecord } from '../db/statuses';

export interface CiSender {
  readonly userId: number;
  readonly login: string;
}

/** A status was stored for `status.sha`. */
export async function statusCreated(
  _env: Env,
  _repo: RepoRecord,
  _status: StatusRecord,
  _sender: CiSender,
): Promise<void> {
  // Nothing listens yet: webhooks deliver the `status` event from here.
}

/** A review was stored on pull request `number`. */
export async function reviewSubmitted(
  _env: Env,
  _repo: RepoRecord,
  _number: number,
  _review: ReviewRecord,
  _sender: CiSender,
): Promise<void> {
  // Nothing listens yet: webhooks deliver the `pull_request_review` event from here.
}

// What the live channel of an issue or pull request carries. The issue page applies the events
// it knows and reloads its data for any other (pull-request events: new commits, merges).

export interface LiveLabel {
  id: number;
  name: string;
  color: string;
}

export interface LiveComment {
  id: number;
  author: string | null;
  body: string;
  /** Sanitized HTML of the body. */
  bodyHtml: string;
  createdAt: string;
  updatedAt: string;
}

export interface LiveIssueHead {
  title: string;
  state: 'open' | 'closed';
  bodyHtml: string;
  labels: LiveLabel[];
  assignees: string[];
  closedAt: string | null;
  updatedAt: string;
}

export type LiveEvent =
  | { type: 'comment.created'; comment: LiveComment }
  | { type: 'comment.updated'; comment: LiveComment }
  | { type: 'comment.deleted'; commentId: number }
  | { type: 'issue.updated'; issue: LiveIssueHead }
  /** Anything else (e.g. `pull.pushed`, `pull.merged`): subscribers reload what they show. */
  | { type: `pull.${string}`; [key: string]: unknown };

/** A message on the socket: the issue number it is about, and the event. */
export interface LiveMessage {
  issue: number;
  event: LiveEvent;
}

/** The WebSocket tag of an issue's subscribers. */
export function issueTag(issueNumber: number): string {
  return `issue:${issueNumber}`;
}

/** The close code of a socket whose watcher lost access (an application code, as 4403 = 403):
 * clients stop retrying. */
export const ACCESS_LOST = 4403;

/** The last message of a socket whose watcher lost access, sent just before it is closed. */
export const ACCESS_LOST_NOTICE = JSON.stringify({ closing: 'access-lost' });

// Validation of names and values the API accepts (pure; unit-tested beside).
import { isValidRefName } from '../git/refname';

export const REPO_NAME_MAX = 100;
export const DESCRIPTION_MAX = 2048;
export const BRANCH_NAME_MAX = 255;
export const TOKEN_NAME_MAX = 255;
export const FULL_NAME_MAX = 255;
export const TOPIC_MAX = 35;
export const TOPICS_MAX = 25;

const REPO_NAME_RE = /^[A-Za-z0-9._-]{1,100}$/;
const RESERVED_REPO_NAMES = new Set(['.', '..', '-', '_']);
const RESERVED_REPO_SUFFIXES = ['.git', '.wiki', '.rss', '.atom'];

/** Why a repository name is refused, or null when it is fine. */
export function repoNameProblem(name: string): string | null {
  if (!REPO_NAME_RE.test(name)) {
    return `repository name must be 1-${REPO_NAME_MAX} characters of letters, digits, '.', '-' or '_'`;
  }
  if (RESERVED_REPO_NAMES.has(name)) return `repository name '${name}' is reserved`;
  const lower = name.toLowerCase();
  for (const suffix of RESERVED_REPO_SUFFIXES) {
    if (lower.endsWith(suffix)) return `repository name may not end with '${suffix}'`;
  }
  return null;
}

/** A branch name git itself would accept (`git check-ref-format --branch`). */
export function isValidBranchName(name: string): boolean {
  if (name.length > BRANCH_NAME_MAX || name.startsWith('-') || name === '@' || name === 'HEAD') return false;
  return isValidRefName(`refs/heads/${name}`);
}

const TOPIC_RE = /^[a-z0-9][-.a-z0-9]{0,34}$/;

export function isValidTopic(topic: string): boolean {
  return TOPIC_RE.test(topic);
}

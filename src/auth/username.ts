// Usernames: 1-39 characters of [A-Za-z0-9-], no leading or trailing hyphen (GitHub's rule),
// unique without regard to case, and never a word the URL space needs for itself.

export const USERNAME_MAX = 39;

const USERNAME_RE = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,37}[A-Za-z0-9])?$/;

/** Top-level paths and words that would shadow a page or mislead people if taken as a login. */
export const RESERVED_USERNAMES: ReadonlySet<string> = new Set([
  'about',
  'admin',
  'administrator',
  'api',
  'assets',
  'auth',
  'blog',
  'dashboard',
  'docs',
  'explore',
  'favicon.ico',
  'ghost',
  'git',
  'help',
  'issues',
  'login',
  'logout',
  'new',
  'notifications',
  'org',
  'orgs',
  'organizations',
  'pulls',
  'raw',
  'repo',
  'repos',
  'robots.txt',
  'root',
  'search',
  'security',
  'settings',
  'signin',
  'signout',
  'signup',
  'sign-in',
  'sign-out',
  'sign-up',
  'site',
  'static',
  'support',
  'system',
  'user',
  'users',
  'www',
  '_serverfn',
  '_server',
  '_build',
]);

export type UsernameProblem = 'empty' | 'too_long' | 'invalid' | 'reserved';

export function usernameProblem(name: string): UsernameProblem | null {
  if (name.length === 0) return 'empty';
  if (name.length > USERNAME_MAX) return 'too_long';
  if (!USERNAME_RE.test(name)) return 'invalid';
  if (RESERVED_USERNAMES.has(name.toLowerCase())) return 'reserved';
  return null;
}

export function isValidUsername(name: string): boolean {
  return usernameProblem(name) === null;
}

export const USERNAME_RULE =
  'a username is 1-39 letters, digits or hyphens, neither starting nor ending with a hyphen, and not reserved';

/** A username candidate for an account made by OAuth sign-in, from the provider's profile. */
export function usernameCandidate(hint: string): string {
  const base = hint
    .replace(/@.*$/, '')
    .replace(/[^A-Za-z0-9-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 30)
    .replace(/-+$/g, '');
  if (base && isValidUsername(base)) return base;
  return base ? `${base}-user` : 'user-1';
}

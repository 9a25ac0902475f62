// Types for accounts.mjs, which the benchmark and the tests share.
export interface TestUser {
  username: string;
  email: string;
  password: string;
  /** `name=value` of the session cookie set by sign-up. */
  cookie: string;
  id: number;
}

/** An account with a personal access token (`token`) for git and the API. */
export interface GitUser extends TestUser {
  token: string;
}

export interface CreatedToken {
  id: number;
  name: string;
  sha1: string;
  token_last_eight: string;
  scopes: string[];
}

export interface RepoJson {
  id: number;
  name: string;
  full_name: string;
  description: string;
  private: boolean;
  empty: boolean;
  default_branch: string;
  clone_url: string;
  html_url: string;
  owner: { login: string };
}

/**
 * Who makes a request: a user's token, an Authorization header, a session cookie (a user without
 * a token signs in by cookie), or null (anonymous).
 */
export type Who = { readonly token: string } | { authorization: string } | { cookie: string } | null;

export function uniqueName(prefix: string): string;
export function basicAuth(username: string, secret: string): string;
export function cookiesOf(res: Response): string[];
export function signUp(base: string, prefix?: string): Promise<TestUser>;
export function createToken(
  base: string,
  user: Pick<TestUser, 'username' | 'password'>,
  opts?: { name?: string; scopes?: string[]; expires_at?: string },
): Promise<CreatedToken>;
export function createUser(base: string, prefix?: string): Promise<GitUser>;
export function createRepo(
  base: string,
  who: Who,
  name: string,
  opts?: { description?: string; private?: boolean; default_branch?: string },
): Promise<RepoJson>;
export function authUrl(
  base: string,
  user: Pick<GitUser, 'username' | 'token'>,
  owner: string,
  repo: string,
): string;

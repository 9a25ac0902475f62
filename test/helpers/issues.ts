// What the issue API tests share: an owner, a writer (collaborator on both repositories) and a
// stranger with tokens, a public and a private repository of the owner, and requests on issues.
import { beforeAll, expect } from 'vitest';
import {
  type Auth,
  asToken,
  call,
  createRepo,
  createToken,
  signUp,
  type TestUser,
  uniqueName,
} from './accounts';
import { grantOn } from './repo-setup';

export interface Label {
  id: number;
  name: string;
  color: string;
}
export interface Issue {
  id: number;
  number: number;
  title: string;
  body: string;
  state: string;
  user: { login: string };
  labels: Label[];
  assignees: { login: string }[];
  comments: number;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
  html_url: string;
  pull_request: unknown;
}
export interface Comment {
  id: number;
  body: string;
  user: { login: string };
}

export interface IssuesFixture {
  owner: TestUser;
  writer: TestUser;
  stranger: TestUser;
  readonly auth: Record<'owner' | 'writer' | 'stranger', Auth>;
  /** Full names of the owner's public and private repositories. */
  pub: string;
  priv: string;
  open(repo: string, who: Auth, json: Record<string, unknown>): Promise<Issue>;
  label(repo: string, name: string, color: string): Promise<Label>;
  list(repo: string, query: string, who?: Auth): Promise<{ numbers: number[]; total: number }>;
  /** A new token of `u` as request headers. */
  tokenAuth(u: TestUser): Promise<Auth>;
}

export const issues = (repo: string) => `/api/v1/repos/${repo}/issues`;

/** Registers the file's beforeAll; the accounts and repositories are there once it has run. */
export function issuesFixture(base: string): IssuesFixture {
  const auth: Record<'owner' | 'writer' | 'stranger', Auth> = { owner: null, writer: null, stranger: null };
  const tokenAuth = async (u: TestUser): Promise<Auth> => asToken((await createToken(base, u)).sha1);
  const fx = {
    auth,
    tokenAuth,
    async open(repo: string, who: Auth, json: Record<string, unknown>): Promise<Issue> {
      const r = await call<Issue>(base, 'POST', issues(repo), { auth: who, json });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      return r.body;
    },
    async label(repo: string, name: string, color: string): Promise<Label> {
      const r = await call<Label>(base, 'POST', `/api/v1/repos/${repo}/labels`, {
        auth: auth.owner,
        json: { name, color },
      });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      return r.body;
    },
    async list(repo: string, query: string, who: Auth = auth.owner) {
      const r = await call<Issue[]>(base, 'GET', `${issues(repo)}?${query}`, { auth: who });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      return { numbers: r.body.map((i) => i.number), total: Number(r.headers.get('x-total-count')) };
    },
  } as IssuesFixture;

  beforeAll(async () => {
    [fx.owner, fx.writer, fx.stranger] = await Promise.all([
      signUp(base, 'iown'),
      signUp(base, 'iwri'),
      signUp(base, 'istr'),
    ]);
    auth.owner = await tokenAuth(fx.owner);
    auth.writer = await tokenAuth(fx.writer);
    auth.stranger = await tokenAuth(fx.stranger);
    fx.pub = (await createRepo(base, auth.owner, uniqueName('pub'))).full_name;
    fx.priv = (await createRepo(base, auth.owner, uniqueName('priv'), { private: true })).full_name;
    for (const repo of [fx.pub, fx.priv]) await grantOn(base, repo, auth.owner, fx.writer, 'write');
  });
  return fx;
}

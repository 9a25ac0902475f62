/**
 * Forking a repository, for every surface (the API and the pages' Fork button): a new repository
 * row that names its parent, then the parent's git data copied into the fork's own Durable Object
 * (see storage/fork-copy.ts). The caller has checked that the actor may read the parent.
 */
import { deleteRepo, findForkByOwner, findRepoById, insertRepo, type RepoRecord } from '../db/repos';
import { repoClient } from './repo-client';

export type ForkOutcome =
  | { ok: true; fork: RepoRecord }
  | { ok: false; status: 409; message: string }
  | { ok: false; status: 503; message: string };

export interface ForkRequest {
  /** The parent, readable by the actor. */
  readonly parent: RepoRecord;
  readonly ownerId: number;
  readonly ownerLogin: string;
  /** A valid repository name (the parent's when not chosen). */
  readonly name: string;
}

async function existingFork(env: Env, req: ForkRequest): Promise<ForkOutcome | null> {
  const existing = await findForkByOwner(env.DB, req.parent.id, req.ownerId);
  if (!existing) return null;
  return {
    ok: false,
    status: 409,
    message: `${req.ownerLogin} already has a fork of ${req.parent.owner}/${req.parent.name}: ${existing.owner}/${existing.name}`,
  };
}

export async function forkRepository(env: Env, req: ForkRequest): Promise<ForkOutcome> {
  const { parent } = req;
  const refused = await existingFork(env, req);
  if (refused) return refused;
  const summary = await repoClient(env, parent).summary();
  const fork = await insertRepo(env.DB, {
    ownerId: req.ownerId,
    name: req.name,
    description: parent.description,
    // A fork of a private repository is private: its readers are the fork's owner and collaborators.
    private: parent.private,
    defaultBranch: summary.defaultBranch,
    forkParentId: parent.id,
  });
  // Nothing inserted: the name is taken, or another request forked the parent meanwhile (the
  // database's one-fork-per-owner index decided between them).
  if (!fork) {
    return (
      (await existingFork(env, req)) ?? {
        ok: false,
        status: 409,
        message: `repository ${req.ownerLogin}/${req.name} already exists`,
      }
    );
  }
  try {
    await repoClient(env, fork).copyFrom(parent.id);
  } catch (e) {
    console.error('fork copy failed', e);
    await deleteRepo(env.DB, fork.id);
    await repoClient(env, fork).destroy();
    return { ok: false, status: 503, message: 'the repository could not be copied; try again' };
  }
  return { ok: true, fork: (await findRepoById(env.DB, fork.id)) ?? fork };
}

/** The Durable Object of a repository, addressed by the repository's immutable id so that a
 * rename keeps its data. */
export function repoStub(env: Env, repoId: number | string) {
  return env.REPO.get(env.REPO.idFromName(`repo:${repoId}`));
}

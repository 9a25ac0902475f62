// Authors of imported items: the local user of the same name where one exists; otherwise the
// migrating user posts it, with the original author named in the text (as Gitea does).
import { findUserByName } from '../../db/users';
import { BODY_MAX, clip, type Json, obj, str } from './fields';

export class Authors {
  private readonly known = new Map<string, number | null>();

  constructor(
    private readonly db: D1Database,
    private readonly migratorId: number,
  ) {}

  /** Who posts the item and its body (with "Originally posted by" when not mapped). */
  async resolve(item: Json, body: string): Promise<{ authorId: number; body: string }> {
    const login = str(obj(item, 'user') ?? {}, 'login');
    let local = login ? this.known.get(login.toLowerCase()) : null;
    if (login && local === undefined) {
      local = (await findUserByName(this.db, login))?.id ?? null;
      this.known.set(login.toLowerCase(), local);
    }
    if (local !== null && local !== undefined) return { authorId: local, body };
    const name = login || 'an unknown user';
    return { authorId: this.migratorId, body: clip(`*Originally posted by ${name}*\n\n${body}`, BODY_MAX) };
  }
}

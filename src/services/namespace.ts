// The one namespace of owner names: accounts and organizations are both rows of "user" (one
// unique "username"), and a name an account gave up in a rename stays its own. A new owner's
// name follows the username rules and is free of all three.
import { USERNAME_RULE, usernameProblem } from '../auth/username';
import { usernameTaken } from '../db/users';

export type NameRefusal = { status: 409 | 422; message: string };

/** Why `name` cannot name a new account or organization, or null when it can. */
export async function newOwnerNameRefusal(db: D1Database, name: string): Promise<NameRefusal | null> {
  const problem = usernameProblem(name);
  if (problem === 'reserved') return { status: 422, message: `the name '${name}' is reserved` };
  if (problem) return { status: 422, message: `invalid name: ${USERNAME_RULE}` };
  if (await usernameTaken(db, name.toLowerCase()))
    return { status: 409, message: `the name '${name}' is already taken by a user or an organization` };
  return null;
}

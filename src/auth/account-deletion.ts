/**
 * Whether an account may be deleted, as Gitea decides: not while it is the last owner of an
 * organization (the organization would be left with nobody to manage it), nor while it owns
 * repositories (their git data lives in their own objects, which a cascade of rows would orphan):
 * the message names what to do first.
 */
import { accountDeletionBlockers } from '../db/orgs';

export async function accountDeletionRefusal(db: D1Database, userId: number): Promise<string | null> {
  const { soleOwnerOf, repos } = await accountDeletionBlockers(db, userId);
  if (soleOwnerOf.length > 0)
    return `the account is the last owner of the organization${soleOwnerOf.length > 1 ? 's' : ''} ${soleOwnerOf.join(', ')}: add another owner or delete the organization first`;
  if (repos > 0)
    return `the account still owns ${repos} repositor${repos > 1 ? 'ies' : 'y'}: delete or transfer them first`;
  return null;
}

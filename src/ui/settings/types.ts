/** What the repository settings page gets from the server. */
import type { CollaboratorPermission } from '../../db/repos';
import type { RepoView } from '../repo/server/view-types';
import type { Viewer } from '../server-fns';

export interface SettingsCollaborator {
  readonly login: string;
  readonly fullName: string;
  readonly permission: CollaboratorPermission;
}

export type SettingsResponse =
  | {
      readonly status: 'ok';
      readonly viewer: Viewer | null;
      readonly repo: RepoView;
      readonly branches: string[];
      readonly collaborators: SettingsCollaborator[];
    }
  /** Missing, unreadable, or readable without admin: all look alike, as on GitHub. */
  | { readonly status: 'not-found'; readonly viewer: Viewer | null };

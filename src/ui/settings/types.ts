/** What the repository settings page gets from the server. */
import type { CollaboratorPermission } from '../../db/repos';
import type { RepoPageResponse } from '../repo/server/view-types';

export interface SettingsCollaborator {
  readonly login: string;
  readonly fullName: string;
  readonly permission: CollaboratorPermission;
}

/** Missing, unreadable, or readable without admin: all answer 404 alike, as on GitHub. */
export type SettingsResponse = RepoPageResponse<{
  readonly branches: string[];
  readonly collaborators: SettingsCollaborator[];
}>;

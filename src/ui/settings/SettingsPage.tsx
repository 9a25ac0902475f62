/** The repository settings page (admins only; the route turns everyone else away with 404). */
import { useRouter } from '@tanstack/react-router';
import { PullMirrorSettings } from '../mirrors/PullMirrorSettings';
import { PushMirrorSettings } from '../mirrors/PushMirrorSettings';
import { RepoLayout } from '../repo/components/RepoLayout';
import type { RepoView } from '../repo/server/view-types';
import type { Viewer } from '../server-fns';
import { WebhookSettings } from '../webhooks/WebhookSettings';
import { BranchProtectionSettings } from './components/BranchProtectionSettings';
import { CollaboratorSettings } from './components/CollaboratorSettings';
import { DangerZone } from './components/DangerZone';
import { GeneralSettings } from './components/GeneralSettings';
import type { SettingsCollaborator } from './types';

export function SettingsPage({
  viewer,
  repo,
  branches,
  collaborators,
}: {
  viewer: Viewer | null;
  repo: RepoView;
  branches: string[];
  collaborators: SettingsCollaborator[];
}) {
  const router = useRouter();
  const reload = () => router.invalidate();
  return (
    <RepoLayout viewer={viewer} repo={repo} tab="settings">
      <div className="st-page">
        <h2>Settings</h2>
        <GeneralSettings repo={repo} branches={branches} onSaved={reload} />
        <CollaboratorSettings repo={repo} collaborators={collaborators} onChanged={reload} />
        <BranchProtectionSettings repo={repo} />
        <WebhookSettings repo={repo} />
        {repo.source?.mirror && repo.source.status === 'done' && (
          <PullMirrorSettings repo={repo} source={repo.source} />
        )}
        <PushMirrorSettings repo={repo} />
        <DangerZone repo={repo} />
      </div>
    </RepoLayout>
  );
}

// Files attached to issue and pull request comments (Gitea's issue assets; GitHub's pasted files):
// anyone who may comment uploads one (`POST .../issues/{index}/assets`, the same upload as release
// assets), and the markdown links `/{owner}/{repo}/attachments/{uuid}`, readable by the
// repository's readers (src/services/attachments.ts).
import { Hono } from 'hono';
import { type AttachmentRecord, createAttachment, listIssueAttachments } from '../db/attachments';
import type { RepoRecord } from '../db/repos';
import { attachmentPath } from '../services/attachments';
import { type AppEnv, requestOrigin } from './context';
import { requireIssue, requireIssueWriter } from './issue-access';
import { describe } from './openapi/describe';
import { receiveUpload } from './upload';

export const attachmentsApi = new Hono<AppEnv>();

const ISSUE_ASSETS = '/api/v1/repos/:owner/:repo/issues/:index/assets';

function attachmentJson(origin: string, repo: RepoRecord, a: AttachmentRecord) {
  return {
    id: a.id,
    name: a.name,
    size: a.size,
    download_count: a.downloadCount,
    created_at: a.createdAt,
    uuid: a.uuid,
    type: 'attachment',
    browser_download_url: `${origin}${attachmentPath(repo, a.uuid)}`,
  };
}

attachmentsApi.post(
  ISSUE_ASSETS,
  describe({
    summary: 'Create an issue attachment',
    tags: ['issue'],
    operationId: 'issueCreateIssueAttachment',
    responses: { 201: 'Attachment' },
  }),
);
attachmentsApi.post(ISSUE_ASSETS, async (c) => {
  const access = await requireIssue(c);
  const actor = requireIssueWriter(c);
  const uuid = crypto.randomUUID();
  const key = `attachments/${access.repo.id}/${uuid}`;
  const file = await receiveUpload(c, key);
  const a = await createAttachment(c.env.DB, {
    uuid,
    repoId: access.repo.id,
    issueId: access.issue.id,
    name: file.name,
    size: file.size,
    blobKey: key,
    uploaderId: actor.userId,
  });
  return c.json(attachmentJson(requestOrigin(c), access.repo, a), 201);
});

attachmentsApi.get(
  ISSUE_ASSETS,
  describe({
    summary: 'List issue’s attachments',
    tags: ['issue'],
    operationId: 'issueListIssueAttachments',
    responses: { 200: 'AttachmentList' },
  }),
);
attachmentsApi.get(ISSUE_ASSETS, async (c) => {
  const { repo, issue } = await requireIssue(c);
  const origin = requestOrigin(c);
  return c.json((await listIssueAttachments(c.env.DB, issue.id)).map((a) => attachmentJson(origin, repo, a)));
});

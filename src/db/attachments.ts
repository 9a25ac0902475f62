// Files attached to issue and pull request comments (their bytes are in R2).

export interface AttachmentRecord {
  id: number;
  uuid: string;
  repoId: number;
  issueId: number | null;
  name: string;
  size: number;
  blobKey: string;
  downloadCount: number;
  createdAt: string;
}

interface AttachmentRow {
  id: number;
  uuid: string;
  repo_id: number;
  issue_id: number | null;
  name: string;
  size: number;
  blob_key: string;
  download_count: number;
  created_at: string;
}

const COLUMNS = `"id", "uuid", "repo_id", "issue_id", "name", "size", "blob_key", "download_count", "created_at"`;

function toAttachment(r: AttachmentRow): AttachmentRecord {
  return {
    id: Number(r.id),
    uuid: r.uuid,
    repoId: Number(r.repo_id),
    issueId: r.issue_id === null ? null : Number(r.issue_id),
    name: r.name,
    size: Number(r.size),
    blobKey: r.blob_key,
    downloadCount: Number(r.download_count),
    createdAt: r.created_at,
  };
}

export async function createAttachment(
  db: D1Database,
  a: {
    uuid: string;
    repoId: number;
    issueId: number;
    name: string;
    size: number;
    blobKey: string;
    uploaderId: number;
  },
): Promise<AttachmentRecord> {
  const row = await db
    .prepare(
      `insert into "attachment" ("uuid", "repo_id", "issue_id", "name", "size", "blob_key", "uploader_id", "created_at")
       values (?, ?, ?, ?, ?, ?, ?, ?) returning ${COLUMNS}`,
    )
    .bind(a.uuid, a.repoId, a.issueId, a.name, a.size, a.blobKey, a.uploaderId, new Date().toISOString())
    .first<AttachmentRow>();
  if (!row) throw new Error('attachment insert returned no row');
  return toAttachment(row);
}

export async function listIssueAttachments(db: D1Database, issueId: number): Promise<AttachmentRecord[]> {
  const { results } = await db
    .prepare(`select ${COLUMNS} from "attachment" where "issue_id" = ? order by "id" limit 1000`)
    .bind(issueId)
    .all<AttachmentRow>();
  return results.map(toAttachment);
}

export async function getAttachment(
  db: D1Database,
  repoId: number,
  uuid: string,
): Promise<AttachmentRecord | null> {
  const row = await db
    .prepare(`select ${COLUMNS} from "attachment" where "repo_id" = ? and "uuid" = ?`)
    .bind(repoId, uuid)
    .first<AttachmentRow>();
  return row ? toAttachment(row) : null;
}

export async function countAttachmentDownload(db: D1Database, id: number): Promise<void> {
  await db
    .prepare(`update "attachment" set "download_count" = "download_count" + 1 where "id" = ?`)
    .bind(id)
    .run();
}

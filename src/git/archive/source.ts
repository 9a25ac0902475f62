/** What an archive writer needs: the entries of a tree and a way to read each blob. */
import type { Oid } from '../store';
import type { ArchiveEntry } from './tree-files';

export interface ArchiveSource {
  /** Top-level folder every path is put under (e.g. `repo-main/`), ending in `/`. */
  readonly prefix: string;
  /** Modification time of every entry, seconds since the epoch (the commit time). */
  readonly mtime: number;
  /** Stored in the archive's comment / pax global header, as git archive does. */
  readonly commit: Oid;
  readonly entries: AsyncIterable<ArchiveEntry>;
  readBlob(oid: Oid): Promise<Uint8Array>;
}

/** A pull-driven stream: each pull produces the next chunk, so memory stays at one entry. */
export function pullStream(next: () => Promise<Uint8Array | null>): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const chunk = await next();
        if (chunk === null) controller.close();
        else controller.enqueue(chunk);
      },
    },
    { highWaterMark: 0 },
  );
}

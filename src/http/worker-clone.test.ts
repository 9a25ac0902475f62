/**
 * The Worker's choice between streaming a clone from R2 and handing the request to the object:
 * a gzip request (git compresses bigger ones) is read too, and what goes to the object is the
 * body as it came.
 */
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { ClonePack, RepoClient } from '../services/repo-client';
import { routeClone } from './worker-clone';

const pkt = (line: string): string => `${(line.length + 5).toString(16).padStart(4, '0')}${line}\n`;
const wants = Array.from({ length: 60 }, (_, i) => i.toString(16).padStart(40, '0'));
const request = `${pkt('command=fetch')}${pkt('agent=git/2.39.5')}${pkt('object-format=sha1')}0001${pkt('thin-pack')}${pkt('no-progress')}${pkt('include-tag')}${pkt('ofs-delta')}${wants.map((w) => pkt(`want ${w}`)).join('')}${pkt('done')}0000`;

function streamOf(bytes: Uint8Array): ReadableStream<Uint8Array> {
  return new Blob([bytes.slice()]).stream();
}

function fakes(plan: ClonePack[] | null): { repo: RepoClient; asked: string[][]; bucket: R2Bucket } {
  const asked: string[][] = [];
  const clonePlan = async (w: string[]): Promise<ClonePack[] | null> => {
    asked.push(w);
    return plan;
  };
  const repo = { clonePlan } as unknown as RepoClient;
  const bucket = { head: async () => ({ size: 100 }) } as unknown as R2Bucket;
  return { repo, asked, bucket };
}

describe('routeClone', () => {
  it.each([false, true])('asks the object about the wants of a clone request (gzip %s)', async (gzip) => {
    const raw = new TextEncoder().encode(request);
    const body = gzip ? new Uint8Array(gzipSync(raw)) : raw;
    const { repo, asked, bucket } = fakes(null);
    const route = await routeClone(bucket, repo, streamOf(body), gzip);
    expect(asked).toEqual([wants]);
    expect(route.kind).toBe('object');
    if (route.kind !== 'object') return;
    expect(new Uint8Array(await new Response(route.body).arrayBuffer())).toEqual(body);
  });
});

/**
 * Clone/fetch scenarios run against both our server and git's own (file://), for every
 * protocol version. Each clones into `c` and may record outputs that must match.
 */
import { join } from 'node:path';
import type { Script } from './compare';

export interface FixtureInfo {
  /** An ISO date inside main's history, for --shallow-since. */
  readonly since: string;
  /** A commit of main that no ref names (fetch by id). */
  readonly innerCommit: string;
}

export interface InteropCase {
  readonly name: string;
  readonly script: Script;
}

export function readOnlyCases(fx: FixtureInfo): InteropCase[] {
  const clone =
    (...args: string[]): Script =>
    async (c) => {
      await c.git(['clone', '-q', ...args, c.url, 'c']);
    };
  const inC = (c: { dir: string }) => join(c.dir, 'c');
  return [
    { name: 'clone --bare', script: clone('--bare') },
    {
      name: 'clone with checkout',
      script: async (c) => {
        await clone()(c);
        c.note(await c.git(['ls-files', '-s'], inC(c)));
      },
    },
    { name: 'clone --depth 5', script: clone('--bare', '--depth', '5') },
    {
      name: 'clone --depth 3 --no-single-branch',
      script: clone('--bare', '--depth', '3', '--no-single-branch'),
    },
    {
      name: 'clone --depth 2, fetch --deepen 4',
      script: async (c) => {
        await clone('--bare', '--depth', '2')(c);
        await c.git(['fetch', '-q', '--deepen', '4', 'origin'], inC(c));
      },
    },
    {
      name: 'clone --depth 2, fetch --depth 10',
      script: async (c) => {
        await clone('--bare', '--depth', '2')(c);
        await c.git(['fetch', '-q', '--depth', '10', 'origin'], inC(c));
      },
    },
    {
      name: 'clone --depth 1, fetch --unshallow',
      script: async (c) => {
        await clone('--bare', '--depth', '1')(c);
        await c.git(['fetch', '-q', '--unshallow', 'origin'], inC(c));
      },
    },
    { name: 'clone --shallow-since', script: clone('--bare', `--shallow-since=${fx.since}`) },
    {
      name: 'clone --shallow-exclude=v120',
      script: clone('--bare', '--no-single-branch', '--shallow-exclude=v120'),
    },
    {
      name: 'clone --shallow-since, fetch --deepen 3',
      script: async (c) => {
        await clone('--bare', `--shallow-since=${fx.since}`)(c);
        await c.git(['fetch', '-q', '--deepen', '3', 'origin'], inC(c));
      },
    },
    {
      name: 'partial clone blob:none, checkout and log -p fetch lazily',
      script: async (c) => {
        await clone('--filter=blob:none')(c);
        c.note(await c.git(['log', '-p', '-3', '--format=%H', '--', 'README.md'], inC(c)));
      },
    },
    { name: 'partial clone blob:limit=2k', script: clone('--bare', '--filter=blob:limit=2k') },
    { name: 'partial clone tree:0', script: clone('--bare', '--filter=tree:0') },
    {
      name: 'partial clone combine blob:none + tree:2',
      script: clone('--bare', '--filter=blob:none', '--filter=tree:2'),
    },
    {
      name: 'fetch origin main only (ref-prefix)',
      script: async (c) => {
        await c.git(['init', '-q', '--bare', 'c']);
        await c.git(['fetch', '-q', c.url, 'refs/heads/main:refs/heads/main'], inC(c));
      },
    },
    {
      name: 'fetch a reachable commit by id',
      script: async (c) => {
        await c.git(['init', '-q', '--bare', 'c']);
        await c.git(['fetch', '-q', c.url, `${fx.innerCommit}:refs/heads/inner`], inC(c));
      },
    },
    {
      name: 'ls-remote',
      script: async (c) => {
        c.note(await c.git(['ls-remote', '--symref', c.url]));
        await c.git(['init', '-q', '--bare', 'c']);
      },
    },
  ];
}

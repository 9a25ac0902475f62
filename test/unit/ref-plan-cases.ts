// The ref-update rules as a table, run against the planner itself and through each store (the
// in-memory one and the Durable Object's SQLite one), so that all three are held to the same rules.
import type { RefRejectionCode } from '../../src/git/refs/rejection';
import { type Oid, type Ref, type RefCommand, ZERO_OID } from '../../src/git/store';

export const A = 'a'.repeat(40);
export const B = 'b'.repeat(40);
export const C = 'c'.repeat(40);
export const Z = ZERO_OID;

export interface RefPlanCase {
  readonly title: string;
  /** The refs before the batch. */
  readonly refs: Readonly<Record<string, Oid>>;
  /** HEAD's target before (refs/heads/main unless given). */
  readonly head?: string;
  readonly commands: readonly RefCommand[];
  readonly atomic?: boolean;
  /** Each command's outcome, in batch order. */
  readonly expect: readonly (RefRejectionCode | 'ok')[];
  /** The words a git client shows for some refused commands, by position. */
  readonly reasons?: Readonly<Record<number, string>>;
  /** HEAD's target after (unchanged unless given). */
  readonly headAfter?: string;
}

export function cmd(name: string, oldOid: Oid, newOid: Oid): RefCommand {
  return { name, oldOid, newOid };
}

const main = 'refs/heads/main';

export const REF_PLAN_CASES: readonly RefPlanCase[] = [
  {
    title: 'creates, updates and deletes when the old value matches',
    refs: { [main]: A, 'refs/heads/gone': B },
    commands: [cmd('refs/heads/new', Z, A), cmd(main, A, B), cmd('refs/heads/gone', B, Z)],
    expect: ['ok', 'ok', 'ok'],
  },
  {
    title: 'an update whose old value is stale is refused as git words it',
    refs: { [main]: A },
    commands: [cmd(main, C, B)],
    expect: ['INCORRECT_OLD_VALUE'],
    reasons: { 0: `cannot lock ref '${main}': is at ${A} but expected ${C}` },
  },
  {
    title: 'creating an existing ref, updating a missing one',
    refs: { [main]: A },
    commands: [cmd(main, Z, B), cmd('refs/heads/none', A, B)],
    expect: ['ALREADY_EXISTS', 'MISSING'],
    reasons: {
      0: `cannot lock ref '${main}': reference already exists`,
      1: `cannot lock ref 'refs/heads/none': unable to resolve reference 'refs/heads/none'`,
    },
  },
  {
    title: 'deletes: stale old value refused, all-zero old value deletes whatever is there',
    refs: { 'refs/heads/x': A, 'refs/heads/y': A },
    commands: [cmd('refs/heads/x', B, Z), cmd('refs/heads/y', Z, Z)],
    expect: ['INCORRECT_OLD_VALUE', 'ok'],
  },
  {
    title: 'deleting a ref that does not exist is refused, with or without an old value',
    refs: { [main]: A },
    commands: [cmd('refs/heads/none', Z, Z), cmd('refs/heads/nada', A, Z)],
    expect: ['MISSING', 'MISSING'],
  },
  {
    title: 'invalid names and names outside refs/ are funny refnames',
    refs: {},
    commands: [
      cmd('refs/heads/a..b', Z, A),
      cmd('HEAD', Z, A),
      cmd('heads/main', Z, A),
      cmd('refs/heads/x.lock', Z, A),
      cmd('refs/heads/ok', Z, A),
    ],
    expect: ['INVALID_NAME', 'INVALID_NAME', 'INVALID_NAME', 'INVALID_NAME', 'ok'],
    reasons: { 0: 'funny refname' },
    headAfter: 'refs/heads/ok',
  },
  {
    title: 'a ref named twice in one batch is refused both times',
    refs: { [main]: A },
    commands: [cmd(main, A, B), cmd('refs/heads/other', Z, B), cmd(main, A, C)],
    expect: ['DUPLICATE', 'ok', 'DUPLICATE'],
  },
  {
    title: 'a ref cannot be created under an existing ref',
    refs: { 'refs/heads/a': A },
    commands: [cmd('refs/heads/a/b', Z, B)],
    expect: ['NAME_CONFLICT'],
    reasons: { 0: `cannot lock ref 'refs/heads/a/b': 'refs/heads/a' exists; cannot create 'refs/heads/a/b'` },
  },
  {
    title: 'a ref cannot be created where refs already sit under its name',
    refs: { 'refs/heads/a/b/c': A },
    commands: [cmd('refs/heads/a', Z, B), cmd('refs/heads/a/b', Z, B)],
    expect: ['NAME_CONFLICT', 'NAME_CONFLICT'],
    reasons: { 0: `cannot lock ref 'refs/heads/a': 'refs/heads/a/b/c' exists; cannot create 'refs/heads/a'` },
  },
  {
    title: 'a ref deleted in the same batch frees its name, in either order',
    refs: { 'refs/heads/a': A, 'refs/heads/d/e': A },
    commands: [
      cmd('refs/heads/a/b', Z, B),
      cmd('refs/heads/a', A, Z),
      cmd('refs/heads/d/e', A, Z),
      cmd('refs/heads/d', Z, B),
    ],
    expect: ['ok', 'ok', 'ok', 'ok'],
  },
  {
    title: 'deleting one of the refs under a name does not free it while another remains',
    refs: { 'refs/heads/a/b': A, 'refs/heads/a/c': A },
    commands: [cmd('refs/heads/a/b', A, Z), cmd('refs/heads/a', Z, B)],
    expect: ['ok', 'NAME_CONFLICT'],
    reasons: { 1: `cannot lock ref 'refs/heads/a': 'refs/heads/a/c' exists; cannot create 'refs/heads/a'` },
  },
  {
    title: 'a refused delete does not free the name',
    refs: { 'refs/heads/a': A },
    commands: [cmd('refs/heads/a', B, Z), cmd('refs/heads/a/b', Z, B)],
    expect: ['INCORRECT_OLD_VALUE', 'NAME_CONFLICT'],
  },
  {
    title: 'two refs of one batch that conflict: the first wins',
    refs: { 'refs/tags/v1': C },
    commands: [
      cmd('refs/heads/a', Z, A),
      cmd('refs/heads/a/b', Z, B),
      cmd('refs/heads/c/d', Z, A),
      cmd('refs/heads/c', Z, B),
    ],
    expect: ['ok', 'NAME_CONFLICT', 'ok', 'NAME_CONFLICT'],
    reasons: {
      1: `cannot lock ref 'refs/heads/a/b': cannot process 'refs/heads/a' and 'refs/heads/a/b' at the same time`,
      3: `cannot lock ref 'refs/heads/c': cannot process 'refs/heads/c/d' and 'refs/heads/c' at the same time`,
    },
  },
  {
    title: 'atomic: one refusal refuses every command',
    refs: { [main]: A },
    atomic: true,
    commands: [cmd('refs/heads/x', Z, B), cmd(main, B, C), cmd('refs/tags/t', Z, A)],
    expect: ['ATOMIC', 'INCORRECT_OLD_VALUE', 'ATOMIC'],
    reasons: { 0: 'atomic push failure' },
  },
  {
    title: 'atomic: all apply when all hold',
    refs: { [main]: A },
    atomic: true,
    commands: [cmd('refs/heads/x', Z, B), cmd(main, A, C)],
    expect: ['ok', 'ok'],
  },
  {
    title:
      'first push into an empty repository without the default branch: HEAD takes the first branch by name',
    refs: {},
    commands: [
      cmd('refs/tags/v1', Z, C),
      cmd('refs/heads/zeta', Z, A),
      cmd('refs/heads/alpha', Z, B),
      cmd('refs/heads/Zed', Z, B),
    ],
    expect: ['ok', 'ok', 'ok', 'ok'],
    headAfter: 'refs/heads/Zed',
  },
  {
    title: 'first push that creates the default branch keeps HEAD',
    refs: {},
    commands: [cmd('refs/heads/a', Z, A), cmd(main, Z, A)],
    expect: ['ok', 'ok'],
  },
  {
    title: 'HEAD follows only branches that were created',
    refs: {},
    commands: [cmd('refs/heads/a..b', Z, A), cmd('refs/heads/b', Z, A)],
    expect: ['INVALID_NAME', 'ok'],
    headAfter: 'refs/heads/b',
  },
  {
    title: 'first push of tags only keeps HEAD',
    refs: {},
    commands: [cmd('refs/tags/v1', Z, A)],
    expect: ['ok'],
  },
  {
    title: 'a refused atomic first push keeps HEAD',
    refs: {},
    atomic: true,
    commands: [cmd('refs/heads/b', Z, A), cmd('refs/heads/c', A, B)],
    expect: ['ATOMIC', 'MISSING'],
  },
  {
    title: 'a later push never moves HEAD',
    refs: { 'refs/tags/v1': A },
    head: 'refs/heads/trunk',
    commands: [cmd('refs/heads/a', Z, A)],
    expect: ['ok'],
  },
];

/** The refs after the case's batch, as `list()` returns them (sorted by name). */
export function refsAfter(c: RefPlanCase): Ref[] {
  const refs = new Map(Object.entries(c.refs));
  c.commands.forEach((command, i) => {
    if (c.expect[i] !== 'ok') return;
    if (command.newOid === ZERO_OID) refs.delete(command.name);
    else refs.set(command.name, command.newOid);
  });
  return [...refs.keys()].sort().map((name) => ({ name, oid: refs.get(name) as Oid }));
}

/**
 * The request lines v0 and v2 fetches share (`want`, `shallow`, `deepen*`, `filter`), parsed
 * into one shape, with git's rules on how they combine.
 */
import type { Oid, Ref } from '../store';
import { type ObjectFilter, parseFilter } from '../walk/filter';
import type { RevListDeepen } from '../walk/shallow-rev-list';
import { ProtocolError } from './errors';
import { checkArgument, checkCount, PROTOCOL_LIMITS } from './limits';
import { oidArg } from './request';

const LIMITS = PROTOCOL_LIMITS;

export class FetchArgs {
  readonly wants: Oid[] = [];
  /** v2 `want-ref` names, in request order. */
  readonly wantRefs: string[] = [];
  readonly haves: Oid[] = [];
  readonly clientShallow: Oid[] = [];
  depth = 0;
  deepenRelative = false;
  deepenSince: number | undefined;
  /** `deepen-not` arguments as sent (ref names, resolved later against the refs). */
  readonly deepenNot: string[] = [];
  filter: ObjectFilter | null = null;

  /** Take one line if it is one of the shared arguments; false leaves it to the caller. */
  take(line: string): boolean {
    if (line.startsWith('want ')) {
      checkCount('want', this.wants.length + this.wantRefs.length + 1, LIMITS.wants);
      this.wants.push(oidArg(line, 'want'));
    } else if (line.startsWith('shallow ')) {
      checkCount('shallow', this.clientShallow.length + 1, LIMITS.shallows);
      this.clientShallow.push(oidArg(line, 'shallow'));
    } else if (line.startsWith('deepen ')) {
      const n = Number(line.slice('deepen '.length));
      if (!Number.isSafeInteger(n) || n <= 0) throw new ProtocolError(`invalid deepen: '${line}'`);
      this.depth = n;
    } else if (line.startsWith('deepen-since ')) {
      const t = Number(line.slice('deepen-since '.length));
      if (!Number.isSafeInteger(t) || t < 0) throw new ProtocolError(`invalid deepen-since: '${line}'`);
      this.deepenSince = t;
    } else if (line.startsWith('deepen-not ')) {
      const name = checkArgument('deepen-not', line.slice('deepen-not '.length));
      if (name === '') throw new ProtocolError(`invalid deepen-not: '${line}'`);
      checkCount('deepen-not', this.deepenNot.length + 1, LIMITS.deepenNots);
      this.deepenNot.push(name);
    } else if (line === 'deepen-relative') this.deepenRelative = true;
    else if (line.startsWith('filter ')) this.filter = parseFilter(checkArgument('filter', line.slice(7)));
    else return false;
    return true;
  }

  /** Take a v2 `want-ref` line; false leaves any other line to the caller. */
  takeWantRef(line: string): boolean {
    if (!line.startsWith('want-ref ')) return false;
    checkCount('want', this.wants.length + this.wantRefs.length + 1, LIMITS.wants);
    checkCount('want-ref', this.wantRefs.length + 1, LIMITS.wantRefs);
    this.wantRefs.push(checkArgument('want-ref', line.slice('want-ref '.length)));
    return true;
  }

  /** Take a `have` line; false leaves any other line to the caller. */
  takeHave(line: string): boolean {
    if (!line.startsWith('have ')) return false;
    checkCount('have', this.haves.length + 1, LIMITS.haves);
    this.haves.push(oidArg(line, 'have'));
    return true;
  }

  /** Whether the client asked to change its shallow boundary (git's `deepen`). */
  get deepening(): boolean {
    return this.depth > 0 || this.deepenSince !== undefined || this.deepenNot.length > 0;
  }

  /** git refuses a count together with a date or ref bound. */
  validate(): void {
    if (this.depth > 0 && (this.deepenSince !== undefined || this.deepenNot.length > 0)) {
      throw new ProtocolError('deepen and deepen-since (or deepen-not) cannot be used together');
    }
    if (this.deepenRelative && this.depth === 0 && this.deepening) {
      throw new ProtocolError('deepen-relative needs a deepen count');
    }
  }

  /** The date/ref bound with deepen-not names resolved to commits (null when not asked). */
  revListBound(refs: readonly Ref[]): RevListDeepen | undefined {
    if (this.deepenSince === undefined && this.deepenNot.length === 0) return undefined;
    const not = this.deepenNot.map((n) => resolveDeepenNot(n, refs));
    return { since: this.deepenSince, not };
  }
}

/** git's dwim rules for `deepen-not NAME`: exactly one ref must match. */
function resolveDeepenNot(name: string, refs: readonly Ref[]): Oid {
  const candidates = [
    name,
    `refs/${name}`,
    `refs/tags/${name}`,
    `refs/heads/${name}`,
    `refs/remotes/${name}`,
    `refs/remotes/${name}/HEAD`,
  ];
  const found = refs.filter((r) => candidates.includes(r.name));
  if (found.length === 0) throw new ProtocolError(`git upload-pack: deepen-not is not a ref: ${name}`);
  if (found.length > 1) throw new ProtocolError(`git upload-pack: ambiguous deepen-not: ${name}`);
  return found[0].peeled ?? found[0].oid;
}

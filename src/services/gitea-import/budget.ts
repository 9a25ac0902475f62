/**
 * How much one import step may do. Each alarm invocation of the repository's object may send a
 * bounded number of subrequests (Cloudflare: 50 on the Free plan, 1,000 on Paid; each D1 query and
 * each request to the source is one), so a step stops once its source requests and D1 statements
 * reach STEP_SUBREQUESTS, between two items, and the next step continues from there.
 */

declare global {
  interface Env {
    /** Subrequests per import step (tests set it small to see an import take several steps). */
    readonly IMPORT_STEP_SUBREQUESTS?: string;
  }
}

/** Well under the Free plan's 50: one item (an issue and a page of its comments) may go past it. */
export const STEP_SUBREQUESTS = 30;

export function stepBudget(env: Env): number {
  return Number(env.IMPORT_STEP_SUBREQUESTS) || STEP_SUBREQUESTS;
}

/** `db` with every statement it prepares counted (a batch's statements each count: an upper bound). */
export function countingDb(db: D1Database): { readonly db: D1Database; readonly prepared: () => number } {
  let prepared = 0;
  const counted = new Proxy(db, {
    get(target, prop) {
      if (prop === 'prepare')
        return (query: string) => {
          prepared++;
          return target.prepare(query);
        };
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { db: counted, prepared: () => prepared };
}

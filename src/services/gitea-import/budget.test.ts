import { describe, expect, it } from 'vitest';
import { countingDb, STEP_SUBREQUESTS, stepBudget } from './budget';

describe('an import step budget', () => {
  it('counts the statements prepared through the wrapped binding, and passes the rest through', async () => {
    const seen: string[] = [];
    const fake = {
      prepare: (q: string) => {
        seen.push(q);
        return { q };
      },
      batch: async (s: unknown[]) => s.length,
    } as unknown as D1Database;
    const counted = countingDb(fake);
    expect(counted.prepared()).toBe(0);
    const a = counted.db.prepare('select 1');
    counted.db.prepare('select 2');
    expect(counted.prepared()).toBe(2);
    expect(seen).toEqual(['select 1', 'select 2']);
    expect(await counted.db.batch([a])).toBe(1);
    expect(counted.prepared()).toBe(2);
  });

  it('stays under the Free plan subrequest limit unless configured', () => {
    expect(STEP_SUBREQUESTS).toBeLessThan(50);
    expect(stepBudget({} as Env)).toBe(STEP_SUBREQUESTS);
    expect(stepBudget({ IMPORT_STEP_SUBREQUESTS: '12' } as Env)).toBe(12);
  });
});

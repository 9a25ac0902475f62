import { describe, expect, it } from 'vitest';
import { signTransfer, type TransferGrant, verifyTransfer } from './transfer-token';

const env = { BETTER_AUTH_SECRET: 'a'.repeat(64) };
const grant: TransferGrant = { repoId: 7, oid: 'f'.repeat(64), size: 123, op: 'upload', exp: 2000 };

describe('transfer tokens', () => {
  it('carry their grant until they expire', async () => {
    const token = await signTransfer(env, grant);
    expect(await verifyTransfer(env, token, 1999)).toEqual(grant);
    expect(await verifyTransfer(env, token, 2000)).toBeNull();
  });

  it('are refused when altered or signed with another secret', async () => {
    const token = await signTransfer(env, grant);
    const [payload, sig] = token.split('.');
    const other = await signTransfer(env, { ...grant, repoId: 8 });
    expect(await verifyTransfer(env, `${other.split('.')[0]}.${sig}`, 0)).toBeNull();
    expect(await verifyTransfer(env, `${payload}.${sig.slice(1)}`, 0)).toBeNull();
    expect(await verifyTransfer({ BETTER_AUTH_SECRET: 'b'.repeat(64) }, token, 0)).toBeNull();
    expect(await verifyTransfer(env, 'garbage', 0)).toBeNull();
  });
});

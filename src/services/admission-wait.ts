// How long one request's heavy work may wait for room in the repository's object before it is
// refused as busy. Tests of those refusals name a short wait on the request instead of holding
// work for the object's ten minutes or starting a server of their own with a short one; as the
// test clock (src/auth/clock.ts), only a server started with GITFLARE_TEST_CLOCK=1 honours it.

export const TEST_ADMISSION_WAIT_HEADER = 'X-Gitflare-Test-Admission-Wait';

/** The wait in ms a test server's request asks for, else undefined (the object's own wait). */
export function admissionWaitOf(request: Request, env: Env): number | undefined {
  if (env.GITFLARE_TEST_CLOCK !== '1') return undefined;
  const value = request.headers.get(TEST_ADMISSION_WAIT_HEADER);
  const ms = Number(value);
  return value !== null && value !== '' && Number.isFinite(ms) && ms >= 0 ? ms : undefined;
}

/** Credentials were presented and are wrong (bad password, unknown, revoked or expired token).
 * Callers answer 401; it is not the same as presenting none. */
export class InvalidCredentialsError extends Error {
  readonly status = 401 as const;
  constructor(message = 'invalid credentials') {
    super(message);
    this.name = 'InvalidCredentialsError';
  }
}

/** Too many failed password attempts for the account or the client's address: callers answer
 * 429 with `Retry-After`, whatever the password. */
export class TooManyAttemptsError extends Error {
  readonly status = 429 as const;
  constructor(readonly retryAfterSeconds: number) {
    super('too many failed sign-in attempts; try again later');
    this.name = 'TooManyAttemptsError';
  }
}

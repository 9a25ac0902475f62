/** Credentials were presented and are wrong (bad password, unknown, revoked or expired token).
 * Callers answer 401; it is not the same as presenting none. */
export class InvalidCredentialsError extends Error {
  readonly status = 401 as const;
  constructor(message = 'invalid credentials') {
    super(message);
    this.name = 'InvalidCredentialsError';
  }
}

import { GitError } from '../errors';

/** A push to another server that did not complete; `message` is fit to show the user. */
export class SendError extends GitError {
  constructor(message: string) {
    super('SEND_FAILED', message);
    this.name = 'SendError';
  }
}

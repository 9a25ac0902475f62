import { GitError } from '../errors';

/** A request that breaks the protocol (bad line, unknown command, unsupported argument). */
export class ProtocolError extends GitError {
  constructor(message: string, code: 'PROTOCOL_ERROR' | 'NOT_OUR_REF' | 'UNSUPPORTED' = 'PROTOCOL_ERROR') {
    super(code, message);
    this.name = 'ProtocolError';
  }
}

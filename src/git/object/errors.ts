import { ObjectError } from '../errors';

/** A commit, tree or tag whose bytes do not follow git's object format. */
export function malformed(kind: string, why: string): ObjectError {
  return new ObjectError('INVALID_OBJECT', `malformed ${kind}: ${why}`);
}

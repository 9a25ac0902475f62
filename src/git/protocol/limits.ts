/**
 * Caps on what one git request may ask, so that no request (an anonymous fetch included) makes
 * the server hold more than a few MB for it. Each cap is far above what a git client sends; past
 * one the request is refused with an `ERR` packet naming the cap (git prints it as
 * "remote error: ..."), except ref-prefix, which git's own server treats as a hint.
 */
import { ProtocolError } from './errors';

export interface ProtocolLimits {
  /**
   * Bytes of pkt-lines in one request (the whole upload-pack body, decompressed; the commands and
   * options before a push's pack). git http-backend buffers at most 10 MB of an upload-pack
   * request (GIT_HTTP_MAX_REQUEST_BUFFER); a push's pack is capped apart (maxPushBytes).
   */
  readonly requestBytes: number;
  /** pkt-lines in one request: flushes cost nothing to send, so they are counted too. */
  readonly requestPackets: number;
  /**
   * Longest ref name, ref-prefix, deepen-not, filter spec or push option, in bytes (PATH_MAX:
   * a longer ref could not be a file in C git's repository).
   */
  readonly argumentBytes: number;
  /** `want` and `want-ref` lines: a mirror clone wants a tip per ref. */
  readonly wants: number;
  /** `want-ref` lines (ref names, not ids); not advertised, so only hand-made requests send one. */
  readonly wantRefs: number;
  /** `have` lines of one round: git's client sends at most a few tens of thousands per round. */
  readonly haves: number;
  /** `shallow` lines: the client's shallow boundary, at most a commit per ref it has. */
  readonly shallows: number;
  /** `deepen-not` lines: one per `--shallow-exclude`. */
  readonly deepenNots: number;
  /**
   * `ref-prefix` lines kept: past this many, ls-refs lists every ref as if none was sent (the
   * client filters what it asked for itself), as git's ls-refs does past 65,536.
   */
  readonly refPrefixes: number;
  /** Ref updates of one push: a mirror push sends one per ref. */
  readonly pushCommands: number;
  /** `git push -o` options of one push. */
  readonly pushOptions: number;
}

export const PROTOCOL_LIMITS: ProtocolLimits = {
  requestBytes: 10 * 1024 * 1024,
  requestPackets: 250_000,
  argumentBytes: 4096,
  wants: 100_000,
  wantRefs: 256,
  haves: 100_000,
  shallows: 100_000,
  deepenNots: 256,
  refPrefixes: 256,
  pushCommands: 100_000,
  pushOptions: 256,
};

/** A request past one of the caps. */
export class LimitError extends ProtocolError {
  constructor(message: string) {
    super(message);
    this.name = 'LimitError';
  }
}

/** The message of a request body past `requestBytes` (http-backend's words). */
export function requestTooLarge(limits: ProtocolLimits = PROTOCOL_LIMITS): string {
  return `request was larger than our maximum size (${limits.requestBytes} bytes)`;
}

/** Refuse the `count`-th line of a kind once it passes its cap. */
export function checkCount(kind: string, count: number, max: number): void {
  if (count > max) throw new LimitError(`too many ${kind} lines (more than ${max})`);
}

/** Refuse an argument (ref name, prefix, filter spec, option) longer than `argumentBytes`. */
export function checkArgument(kind: string, value: string, limits: ProtocolLimits = PROTOCOL_LIMITS): string {
  const max = limits.argumentBytes;
  // A UTF-16 unit is 1 to 3 UTF-8 bytes: encode only when the length alone cannot decide.
  if (value.length > max || (value.length * 3 > max && new TextEncoder().encode(value).length > max)) {
    throw new LimitError(`${kind} longer than ${max} bytes`);
  }
  return value;
}

/**
 * A repository page refused because the repository was busy (its read waited too long for room
 * in the repository's object): thrown by the page's loader, shown by the router's error
 * component with the refusal's message (the answer's status is 503, see ../busy-answer.ts). A
 * plain object, not an Error: the router sends a page's error to the browser as its message
 * only, and the browser must still tell this one from a failure when it takes the page over.
 */
export interface RepoBusy {
  readonly repoBusy: true;
  readonly message: string;
}

export function repoBusy(message: string): RepoBusy {
  return { repoBusy: true, message };
}

export function isRepoBusy(error: unknown): error is RepoBusy {
  return typeof error === 'object' && error !== null && (error as Partial<RepoBusy>).repoBusy === true;
}

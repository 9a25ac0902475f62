/** Whether content is binary, by git's own rule: a NUL byte within the first 8000 bytes. */
const SNIFF = 8000;

export function isBinary(data: Uint8Array): boolean {
  const n = Math.min(data.length, SNIFF);
  for (let i = 0; i < n; i++) if (data[i] === 0) return true;
  return false;
}

const utf8 = new TextDecoder();

/** Text of a file for display; invalid UTF-8 becomes U+FFFD rather than failing the page. */
export function decodeText(data: Uint8Array): string {
  return utf8.decode(data);
}

/** Split text into lines without their line ends; a final newline does not add an empty line. */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

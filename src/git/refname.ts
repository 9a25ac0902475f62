/**
 * Ref name rules, identical to `git check-ref-format` (without --allow-onelevel,
 * --refspec-pattern or --normalize): see refs.c check_refname_format.
 */

export interface RefNameOptions {
  /** Accept names without a slash (like --allow-onelevel). */
  readonly allowOneLevel?: boolean;
}

export function isValidRefName(name: string, options: RefNameOptions = {}): boolean {
  if (name === '' || name === '@') return false;
  // The CLI cannot even be asked about such a name (it parses as an option); refuse it.
  if (name.startsWith('-')) return false;
  const components = name.split('/');
  if (components.length < 2 && !options.allowOneLevel) return false;
  for (const component of components) {
    if (!isValidComponent(component)) return false;
  }
  if (name.endsWith('.')) return false;
  return true;
}

function isValidComponent(component: string): boolean {
  // Empty components come from a leading/trailing slash or `//`.
  if (component.length === 0) return false;
  if (component.startsWith('.')) return false;
  if (component.endsWith('.lock')) return false;
  let prev = '';
  for (const ch of component) {
    const c = ch.charCodeAt(0);
    if (c < 0x20 || c === 0x7f) return false;
    if (' ~^:?*[\\'.includes(ch)) return false;
    if (ch === '.' && prev === '.') return false;
    if (ch === '{' && prev === '@') return false;
    prev = ch;
  }
  return true;
}

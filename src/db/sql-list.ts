/**
 * A list of values bound as ONE parameter: `x in ${IN_LIST}` with `JSON.stringify(values)`.
 * D1 refuses a statement with more than 100 bound parameters, so `in (?, ?, ...)` fails (a 500)
 * once a list (the repositories a search covers, labels or numbers a caller sends) passes that;
 * SQLite's json_each reads the whole list from one.
 */
export const IN_LIST = '(select "value" from json_each(?))';

export function listArg(values: readonly (string | number)[]): string {
  return JSON.stringify(values);
}

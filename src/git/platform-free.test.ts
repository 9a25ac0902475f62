/**
 * The engine runs unchanged in Node, in a Worker and in a Durable Object because it imports
 * nothing from any of them. This keeps it so: every module of src/git (tests aside) may import
 * only other engine modules and a short list of pure libraries, and uses no Node globals.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ENGINE = resolve(__dirname);
/** Pure, platform-neutral libraries the engine may use (zlib, SHA-1, line diffs). */
const ALLOWED_PACKAGES = [/^pako$/, /^@noble\/hashes\//, /^diff$/];
/** Node-only globals: present in Node and in workerd's nodejs_compat, but not part of the contract. */
const NODE_GLOBALS = /\b(Buffer|process|require|__dirname|__filename|setImmediate)\s*[.(]/;

function engineModules(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...engineModules(path));
    else if (/\.tsx?$/.test(entry.name) && !/\.(test|bench)\.tsx?$|\.test\.|fixture/.test(entry.name))
      out.push(path);
  }
  return out;
}

/** Import and export-from specifiers, static and dynamic. */
function specifiers(source: string): string[] {
  const found: string[] = [];
  const patterns = [
    /\b(?:import|export)\s[^'";]*?\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const re of patterns) for (const m of source.matchAll(re)) found.push(m[1]);
  return found;
}

/** Source without comments and string contents, so prose about `process` is not a use of it. */
function code(source: string): string {
  return source
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\/\/.*$/gm, '')
    .replace(/'(?:\\.|[^'\\\n])*'|"(?:\\.|[^"\\\n])*"|`(?:\\.|[^`\\])*`/g, "''");
}

describe('the git engine is platform-free', () => {
  const modules = engineModules(ENGINE);

  it('finds the engine modules', () => {
    expect(modules.length).toBeGreaterThan(40);
    expect(modules.map((m) => relative(ENGINE, m))).toContain('store.ts');
  });

  it('imports only engine modules and pure libraries', () => {
    const offences: string[] = [];
    for (const file of modules) {
      for (const spec of specifiers(readFileSync(file, 'utf8'))) {
        const where = relative(ENGINE, file);
        if (spec.startsWith('.')) {
          const target = resolve(dirname(file), spec);
          if (!target.startsWith(`${ENGINE}/`)) offences.push(`${where}: ${spec} (outside src/git)`);
        } else if (!ALLOWED_PACKAGES.some((re) => re.test(spec))) {
          offences.push(`${where}: ${spec}`);
        }
      }
    }
    expect(offences).toEqual([]);
  });

  it('uses no Node-only globals', () => {
    const offences = modules
      .filter((file) => NODE_GLOBALS.test(code(readFileSync(file, 'utf8'))))
      .map((file) => relative(ENGINE, file));
    expect(offences).toEqual([]);
  });

  it('would notice an offence', () => {
    expect(specifiers("import { x } from 'cloudflare:workers';\nimport('node:fs');")).toEqual([
      'cloudflare:workers',
      'node:fs',
    ]);
    expect(NODE_GLOBALS.test(code('const b = Buffer.from(x);'))).toBe(true);
    expect(NODE_GLOBALS.test(code('// Buffer.from is not used here'))).toBe(false);
  });
});

// The browsable description at /api/swagger (Gitea's address): plain server-rendered HTML built
// from the generated document, operations grouped by tag, then the schemas. No script at all (the
// Worker loads nothing from elsewhere), so the page's policy forbids every script.
import { escapeHtml } from '../../services/markdown/escape-html';
import type { MediaObject, OpenApiDocument, OperationObject } from './document';

type Json = Record<string, unknown>;

export const SWAGGER_PAGE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

const STYLE = `body{font:14px/1.5 system-ui,sans-serif;margin:0 auto;max-width:72rem;padding:1rem 2rem;color:#1f2328}
h2{border-bottom:1px solid #d0d7de;margin-top:2rem}details{border:1px solid #d0d7de;border-radius:6px;margin:.4rem 0;padding:.3rem .7rem}
summary{cursor:pointer}code,.path{font-family:ui-monospace,monospace}.m{display:inline-block;min-width:4.5rem;font-weight:600}
.get{color:#0969da}.post{color:#1a7f37}.put,.patch{color:#9a6700}.delete{color:#cf222e}
table{border-collapse:collapse;margin:.3rem 0}td,th{border:1px solid #d0d7de;padding:.2rem .5rem;text-align:left;vertical-align:top}`;

function refName(schema: unknown): string | undefined {
  const r = (schema as Json | undefined)?.$ref;
  return typeof r === 'string' ? r.slice(r.lastIndexOf('/') + 1) : undefined;
}

/** A schema as a short type: a link to a component, `[Type]` for an array, else its JSON type. */
function typeOf(schema: unknown): string {
  const s = (schema ?? {}) as Json;
  const name = refName(s);
  if (name) return `<a href="#schema-${escapeHtml(name)}">${escapeHtml(name)}</a>`;
  if (s.type === 'array') return `[${typeOf(s.items)}]`;
  const variants = (s.anyOf ?? s.oneOf) as unknown[] | undefined;
  if (variants) return variants.map(typeOf).join(' | ');
  const base = escapeHtml(String(s.type ?? 'any'));
  const values = Array.isArray(s.enum) ? ` (${s.enum.map((v) => escapeHtml(String(v))).join(', ')})` : '';
  return `${base}${s.nullable ? '?' : ''}${values}`;
}

function content(holder: MediaObject | undefined): string {
  const json = holder?.content?.['application/json'];
  return json ? typeOf(json.schema) : '';
}

function operationHtml(method: string, path: string, op: OperationObject): string {
  const params = (op.parameters ?? [])
    .map(
      (p) =>
        `<tr><td><code>${escapeHtml(p.name)}</code></td><td>${p.in}</td>` +
        `<td>${typeOf(p.schema)}</td><td>${p.required ? 'required' : ''}</td><td>${escapeHtml(p.description ?? '')}</td></tr>`,
    )
    .join('');
  const responses = Object.entries(op.responses)
    .map(
      ([status, r]) =>
        `<tr><td>${escapeHtml(status)}</td><td>${escapeHtml(r.description)}</td><td>${content(r)}</td></tr>`,
    )
    .join('');
  const body = op.requestBody ? `<p>Body: ${content(op.requestBody)}</p>` : '';
  return (
    `<details id="op-${escapeHtml(op.operationId)}"><summary><span class="m ${method}">${method.toUpperCase()}</span> ` +
    `<span class="path">${escapeHtml(path)}</span> ${escapeHtml(op.summary)}</summary>` +
    (op.description ? `<p>${escapeHtml(op.description)}</p>` : '') +
    (params
      ? `<table><tr><th>parameter</th><th>in</th><th>type</th><th></th><th></th></tr>${params}</table>`
      : '') +
    body +
    `<table><tr><th>status</th><th>answer</th><th>body</th></tr>${responses}</table></details>`
  );
}

function schemaHtml(name: string, schema: Json): string {
  const required = new Set((schema.required ?? []) as string[]);
  const props = Object.entries((schema.properties ?? {}) as Record<string, Json>)
    .map(
      ([p, s]) =>
        `<tr><td><code>${escapeHtml(p)}</code></td><td>${typeOf(s)}</td><td>${required.has(p) ? 'required' : ''}</td></tr>`,
    )
    .join('');
  return (
    `<h3 id="schema-${escapeHtml(name)}">${escapeHtml(name)}</h3>` +
    (props
      ? `<table><tr><th>field</th><th>type</th><th></th></tr>${props}</table>`
      : `<p>${typeOf(schema)}</p>`)
  );
}

export function swaggerPage(doc: OpenApiDocument): string {
  const info = doc.info;
  const byTag = new Map<string, string[]>();
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const tag = op.tags[0] ?? 'other';
      byTag.set(tag, [...(byTag.get(tag) ?? []), operationHtml(method, path, op)]);
    }
  }
  const sections = [...byTag.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([tag, ops]) => `<h2 id="tag-${escapeHtml(tag)}">${escapeHtml(tag)}</h2>${ops.join('')}`)
    .join('');
  const schemas = Object.entries(doc.components.schemas)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, s]) => schemaHtml(name, s))
    .join('');
  const toc = [...byTag.keys()]
    .sort()
    .map((t) => `<a href="#tag-${escapeHtml(t)}">${escapeHtml(t)}</a>`)
    .join(' · ');
  return (
    `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(info.title)} · Gitflare</title>` +
    `<style>${STYLE}</style></head><body><h1>${escapeHtml(info.title)} <small>${escapeHtml(info.version)}</small></h1>` +
    `<p>${escapeHtml(info.description)} Base path <code>/api/v1</code>; the document: <a href="/swagger.v1.json">/swagger.v1.json</a>.</p>` +
    `<nav>${toc} · <a href="#schemas">schemas</a></nav>${sections}<h2 id="schemas">Schemas</h2>${schemas}</body></html>`
  );
}

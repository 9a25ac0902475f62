// Serves the generated description where Gitea does: the document at /swagger.v1.json, the
// browsable page at /api/swagger. Built once per isolate, on first request (routes are fixed by then).
import type { Hono } from 'hono';
import type { AppEnv } from '../context';
import { type OpenApiDocument, openApiDocument } from './document';
import { SWAGGER_PAGE_CSP, swaggerPage } from './page';

export function serveOpenApi(app: Hono<AppEnv>, version: string): void {
  let doc: OpenApiDocument | undefined;
  const documentOf = () => {
    doc ??= openApiDocument(app.routes, version);
    return doc;
  };
  app.get('/swagger.v1.json', (c) => c.json(documentOf()));
  app.get('/api/swagger', (c) =>
    c.html(swaggerPage(documentOf()), 200, { 'Content-Security-Policy': SWAGGER_PAGE_CSP }),
  );
}

import { Hono } from 'hono';
import { expect, it, describe as suite } from 'vitest';
import { z } from 'zod';
import { describe } from './describe';
import { openApiDocument, openApiPath } from './document';
import { named } from './named';

const Thing = named('TestThing', z.strictObject({ id: z.number().int(), name: z.string().nullable() }));

function sampleApp() {
  const sub = new Hono();
  sub.onError((_e, c) => c.text('x', 500)); // Hono then wraps the sub-app's handlers
  sub.get(
    '/api/v1/things/:owner/:name{.+}',
    describe({
      summary: 'one thing',
      tags: ['thing'],
      operationId: 'thingGet',
      params: { owner: 'its owner' },
      query: z.object({ page: z.number().int().optional(), q: z.string().describe('words') }),
      responses: { 200: Thing, 404: 'not there' },
    }),
    (c) => c.json({ id: 1, name: null }),
  );
  sub.post(
    '/api/v1/things',
    describe({
      summary: 'make',
      tags: ['thing'],
      body: z.strictObject({ name: z.string() }),
      responses: { 201: z.array(Thing) },
    }),
    (c) => c.json([]),
  );
  sub.delete('/api/v1/things/:id', (c) => c.body(null, 204));
  // The usual form: the description on its own line above the handler; then one with a typo.
  sub.put(
    '/api/v1/things/:id',
    describe({ summary: 'replace', tags: ['thing'], responses: { 204: 'done' } }),
  );
  sub.put('/api/v1/things/:id', (c) => c.body(null, 204));
  sub.patch('/api/v1/thngs/:id', describe({ summary: 'typo', tags: ['thing'], responses: { 204: 'done' } }));
  sub.patch('/api/v1/things/:id', (c) => c.body(null, 204));
  const app = new Hono();
  app.use('/api/v1/*', async (_c, next) => next());
  app.get('/api/auth/*', (c) => c.text('auth'));
  app.route('/', sub);
  return app;
}

suite('openApiDocument', () => {
  const doc = openApiDocument(sampleApp().routes, '1.0');

  it('converts Hono paths to OpenAPI paths under the base path', () => {
    expect(openApiPath('/api/v1/repos/:owner/:repo/branches/:branch{.+}')).toBe(
      '/repos/{owner}/{repo}/branches/{branch}',
    );
  });

  it('lists every route under the base path, described or not, and nothing else', () => {
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/things',
      '/things/{id}',
      '/things/{owner}/{name}',
      '/thngs/{id}',
    ]);
    expect(doc.paths['/things/{id}'].delete['x-undescribed']).toBe(true);
    expect(doc.paths['/things/{id}'].put.summary).toBe('replace');
    expect(doc.paths['/things/{id}'].put['x-undescribed']).toBeUndefined();
    expect(doc.paths['/things/{id}'].put['x-no-handler']).toBeUndefined();
    expect(doc.paths['/things/{id}'].patch['x-undescribed']).toBe(true);
    expect(doc.paths['/thngs/{id}'].patch['x-no-handler']).toBe(true);
    expect(doc.paths['/things/{owner}/{name}'].get['x-undescribed']).toBeUndefined();
  });

  it('reads the description back from the marker, through the sub-app wrapper', () => {
    const op = doc.paths['/things/{owner}/{name}'].get;
    expect(op.operationId).toBe('thingGet');
    expect(op.summary).toBe('one thing');
    expect(op.parameters).toEqual([
      { name: 'owner', in: 'path', required: true, schema: { type: 'string' }, description: 'its owner' },
      { name: 'name', in: 'path', required: true, schema: { type: 'string' } },
      expect.objectContaining({ name: 'page', in: 'query', required: false }),
      expect.objectContaining({ name: 'q', in: 'query', required: true, description: 'words' }),
    ]);
    expect(op.responses['200'].content?.['application/json'].schema).toEqual({
      $ref: '#/components/schemas/TestThing',
    });
    expect(op.responses['404']).toEqual({ description: 'not there' });
    expect(op.responses.default.content?.['application/json'].schema).toEqual({
      $ref: '#/components/schemas/APIError',
    });
  });

  it('puts named and unnamed schemas in components, strict', () => {
    const post = doc.paths['/things'].post;
    expect(post.operationId).toBe('postThings');
    const bodyRef = post.requestBody?.content?.['application/json'].schema.$ref;
    expect(bodyRef).toBe('#/components/schemas/postThingsBody');
    expect(doc.components.schemas.TestThing).toEqual({
      type: 'object',
      properties: {
        id: expect.objectContaining({ type: 'integer' }),
        name: { type: 'string', nullable: true },
      },
      required: ['id', 'name'],
      additionalProperties: false,
    });
    expect(doc.components.schemas.postThings201).toEqual({
      type: 'array',
      items: { $ref: '#/components/schemas/TestThing' },
    });
  });
});

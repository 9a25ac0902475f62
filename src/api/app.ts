import { Hono } from 'hono';

// Placeholder until the accounts/API work lands: answers the version only.
export const api = new Hono<{ Bindings: Env }>();
api.get('/api/v1/version', (c) => c.json({ version: '0.1.0' }));
api.all('/api/*', (c) => c.json({ message: 'Not found' }, 404));

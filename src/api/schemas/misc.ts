// Small answers of the server's own (version, settings).
import { z } from 'zod';
import { named } from '../openapi/named';

export const VersionSchema = named('ServerVersion', z.strictObject({ version: z.string() }));

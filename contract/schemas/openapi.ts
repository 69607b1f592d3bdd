import { z } from 'zod';

/** GET /openapi.json: an OpenAPI 3.1 document, described here by its outline only. */
export const OpenApiDocumentSchema = z.looseObject({
  openapi: z.literal('3.1.0'),
  info: z.object({ title: z.string(), version: z.string(), description: z.string() }),
  paths: z.record(z.string(), z.record(z.string(), z.record(z.string(), z.unknown()))),
});
export type OpenApiDocument = z.infer<typeof OpenApiDocumentSchema>;

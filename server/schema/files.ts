// Answers that are not a JSON body, for `schema.response`: a file of some media type (CSV,
// XML, GeoJSON sent as it is kept, PMTiles, XLSX) and no body at all (204, 304). They only
// describe: a file is sent as the route made it (a string or bytes is never serialised).
import { z } from 'zod';

/** No body: a 304 (the copy the client holds, named by If-None-Match, still stands). */
// (`z.undefined()`: what `reply.send()` sends, and what the OpenAPI transform writes as a `null` body, that is none.)
export const NotModified = z.undefined().describe('Not modified: the ETag named in If-None-Match still holds (no body)');
/** No body: done (204). */
export const NoContent = z.undefined().describe('Done (no body)');
/** A text file (CSV, XML). */
export const TextFile = z.string();
/** A file of bytes (PMTiles, XLSX): sent as bytes, described as a binary string. */
export const BinaryFile = z.custom<Uint8Array>().meta({ type: 'string', format: 'binary' });
/**
 * JSON a route sends as the text it keeps encoded (the grids, an import's preview, an export):
 * described by the schema of what the text holds, typed as the text the route sends.
 */
export const encodedJson = <S extends z.ZodType>(schema: S) => schema as unknown as z.ZodType<string, string>;

/** A response described by media type, as fastify and @fastify/swagger take it. */
export interface ContentAnswer {
  description?: string;
  content: Record<string, { schema: z.ZodType }>;
}

/** A response of these media types, each with the schema of its body, and what it is. */
export const fileAnswer = <C extends Record<string, z.ZodType>>(description: string, content: C) => ({
  description,
  content: Object.fromEntries(Object.entries(content).map(([type, schema]) => [type, { schema }])) as { [K in keyof C]: { schema: C[K] } },
});

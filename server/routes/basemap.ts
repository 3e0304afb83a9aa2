// GET /api/basemap.pmtiles: the basemap's PMTiles file (config pmtilesFile, never a path from
// the request) for the map's pmtiles:// protocol, by HTTP range requests: 206 with the bytes
// asked for (one range, at most 16 MiB), 416 for a range the file cannot answer, 200 with the
// whole file without a Range; an ETag of the content, If-Range and If-None-Match honoured.
// Signed-in screens only, like the county's roads and outline it draws (every /api route).
// Registered only when the basemap is a PMTiles file.
import type { FastifyPluginAsync } from 'fastify';
import { PMTILES_URL } from '../config.ts';
import { PmtilesFile } from '../basemap/pmtiles-file.ts';
import { rangeOf, sameTag } from '../basemap/byte-range.ts';
import { refuse } from '../http/reply.ts';
import { BinaryFile, fileAnswer, NotModified, responses } from '../schema/index.ts';

export const MAX_RANGE_BYTES = 16 * 1024 * 1024;

const basemap: FastifyPluginAsync = async (app) => {
  const path = app.config.pmtilesFile;
  if (!path || app.config.basemap.kind !== 'pmtiles') return;
  const file = new PmtilesFile(path);
  // A file that is not PMTiles stops start-up, with its name.
  const first = await file.current();
  app.log.info({ path, bytes: first.size }, 'serving the basemap from a PMTiles file');

  // Tiles are gzipped already, and a range is of the file's own bytes: never compressed again.
  const response = responses({
    200: fileAnswer('The whole PMTiles file', { 'application/vnd.pmtiles': BinaryFile }),
    206: fileAnswer('The bytes of the one range asked for (Content-Range)', { 'application/vnd.pmtiles': BinaryFile }),
    304: NotModified,
  });
  app.get(PMTILES_URL, { compress: false, schema: { response } }, async (request, reply) => {
    const { size, etag } = await file.current();
    reply.header('accept-ranges', 'bytes').header('etag', etag).header('cache-control', 'private, max-age=300').header('vary', 'authorization');
    const noneMatch = request.headers['if-none-match'];
    if (sameTag(noneMatch, etag)) return reply.code(304).send();
    // If-Range names another version of the file: the whole of this one instead.
    const ifRange = [request.headers['if-range']].flat()[0];
    const range = ifRange !== undefined && !sameTag(ifRange, etag) ? undefined : request.headers.range;
    const answer = rangeOf(range, size, MAX_RANGE_BYTES);
    if (answer.kind === 'unsatisfiable') {
      reply.header('content-range', `bytes */${size}`);
      return refuse(reply, 'range-not-satisfiable', `请求的字节范围无效: ${answer.reason} (range not satisfiable)`);
    }
    reply.type('application/vnd.pmtiles');
    if (answer.kind === 'full') return reply.header('content-length', size).send(file.stream(0, size - 1));
    const { start, end } = answer;
    return reply
      .code(206)
      .header('content-range', `bytes ${start}-${end}/${size}`)
      .header('content-length', end - start + 1)
      .send(file.stream(start, end));
  });
};
export default basemap;

// GET /api/basemap.pmtiles: the county's own PMTiles file by range requests, to signed-in
// screens only, on a real redis-server; read back over HTTP by the pmtiles package itself.
import { readFileSync } from 'node:fs';
import { FetchSource, PMTiles } from 'pmtiles';
import { describe, expect, it } from 'vitest';
import { MAX_RANGE_BYTES } from '../../server/routes/basemap.ts';
import { rangeOf } from '../../server/basemap/byte-range.ts';
import { startTestServer } from '../helpers/server.ts';
import { useServer } from '../helpers/use-server.ts';

const FILE = readFileSync('data/guazhou/basemap.pmtiles');
const URL_PATH = '/api/basemap.pmtiles';

describe('the basemap PMTiles file over HTTP', () => {
  const env = useServer({ redis: true, roles: ['wall', 'dispatcher'] });
  const get = (headers: Record<string, string>, token: string | null = env.tokens.wall!) =>
    fetch(`${env.srv.url}${URL_PATH}`, { headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers } });

  it("is the default basemap of a county that has one, at the board's own origin", async () => {
    const res = await fetch(`${env.srv.url}/api/client-config`, { headers: { authorization: `Bearer ${env.tokens.dispatcher}` } });
    expect((await res.json()).basemap).toEqual({ kind: 'pmtiles', url: URL_PATH });
  });

  it('answers a range with 206 and exactly those bytes', async () => {
    for (const [range, start, end] of [
      ['bytes=0-126', 0, 126],
      ['bytes=1000-20999', 1000, 20_999],
      [`bytes=${FILE.length - 10}-`, FILE.length - 10, FILE.length - 1],
      ['bytes=-5', FILE.length - 5, FILE.length - 1],
      [`bytes=5-${FILE.length + 1000}`, 5, FILE.length - 1],
    ] as const) {
      const res = await get({ range });
      expect(res.status, range).toBe(206);
      expect(res.headers.get('content-range')).toBe(`bytes ${start}-${end}/${FILE.length}`);
      expect(res.headers.get('accept-ranges')).toBe('bytes');
      expect(res.headers.get('content-type')).toBe('application/vnd.pmtiles');
      expect(res.headers.get('content-encoding')).toBeNull();
      const body = Buffer.from(await res.arrayBuffer());
      expect(body.equals(FILE.subarray(start, end + 1)), range).toBe(true);
      expect(Number(res.headers.get('content-length'))).toBe(end - start + 1);
    }
  });

  it('answers 416 with the size for a range it cannot serve', async () => {
    for (const range of [`bytes=${FILE.length}-`, 'bytes=50-10', 'bytes=0-1,5-9', 'bytes=-0', 'lines=1-2', 'bytes=x-1']) {
      const res = await get({ range });
      expect(res.status, range).toBe(416);
      expect(res.headers.get('content-range')).toBe(`bytes */${FILE.length}`);
      expect((await res.json()).error).toBe('range-not-satisfiable');
    }
  });

  it('sends the whole file without a Range, with an ETag; If-None-Match and If-Range are honoured', async () => {
    const whole = await get({});
    expect(whole.status).toBe(200);
    expect(Buffer.from(await whole.arrayBuffer()).equals(FILE)).toBe(true);
    const etag = whole.headers.get('etag')!;
    expect(etag).toMatch(/^"[\w-]{20,}"$/);
    expect((await get({ 'if-none-match': etag })).status).toBe(304);
    // If-Range with this version: the range; with another: the whole (new) file.
    expect((await get({ range: 'bytes=0-6', 'if-range': etag })).status).toBe(206);
    const other = await get({ range: 'bytes=0-6', 'if-range': '"an-older-file"' });
    expect(other.status).toBe(200);
    expect(Buffer.from(await other.arrayBuffer()).length).toBe(FILE.length);
    // The same file on another process (or machine) has the same tag.
    expect(env.srv.app.config.pmtilesFile).toBe('data/guazhou/basemap.pmtiles');
  });

  it('refuses anyone not signed in, whatever the spelling of the path', async () => {
    for (const path of [URL_PATH, '/api//basemap.pmtiles', '/%61pi/basemap.pmtiles', '/api/basemap.pmtiles?x=1']) {
      const res = await fetch(`${env.srv.url}${path}`, { headers: { range: 'bytes=0-126' } });
      expect(res.status, path).toBeGreaterThanOrEqual(400);
      expect(res.status, path).not.toBe(206);
      expect(
        Buffer.from(await res.arrayBuffer())
          .subarray(0, 7)
          .toString(),
      ).not.toBe('PMTiles');
    }
    expect((await get({ range: 'bytes=0-126' }, 'not-a-token')).status).toBe(401);
    expect((await get({ range: 'bytes=0-126' }, null)).status).toBe(401);
  });

  it('is read by the pmtiles package over HTTP, with the bearer token, as the map reads it', async () => {
    const p = new PMTiles(new FetchSource(`${env.srv.url}${URL_PATH}`, new Headers({ authorization: `Bearer ${env.tokens.wall}` })));
    const h = await p.getHeader();
    expect(h.maxZoom).toBe(12);
    const z = 9;
    const x = Math.floor(((95.782 + 180) / 360) * 2 ** z);
    const r = (40.52 * Math.PI) / 180;
    const y = Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * 2 ** z);
    const tile = await p.getZxy(z, x, y);
    expect(tile?.data.byteLength).toBeGreaterThan(100);
  });
});

describe('without a PMTiles file', () => {
  it('has no such route, and the blank basemap', async () => {
    const srv = await startTestServer({ config: { basemap: { kind: 'offline' }, pmtilesFile: null } });
    try {
      const token = (await fetch(`${srv.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'wall', password: 'guazhou-demo' }),
      }).then((r) => r.json())) as { token: string };
      const res = await fetch(`${srv.url}${URL_PATH}`, { headers: { authorization: `Bearer ${token.token}`, range: 'bytes=0-10' } });
      expect(res.status).toBe(404);
      expect(srv.app.routeRules.some((r) => r.url === URL_PATH)).toBe(false);
    } finally {
      await srv.close();
    }
  });

  it('reads ranges as RFC 9110 says (pure)', () => {
    expect(rangeOf(undefined, 100, 50)).toEqual({ kind: 'full' });
    expect(rangeOf('bytes=10-19', 100, 50)).toEqual({ kind: 'partial', start: 10, end: 19 });
    expect(rangeOf('bytes=-200', 100, 500)).toEqual({ kind: 'partial', start: 0, end: 99 });
    expect(rangeOf('bytes=0-60', 100, 50).kind).toBe('unsatisfiable');
    expect(rangeOf(`bytes=0-${MAX_RANGE_BYTES}`, MAX_RANGE_BYTES * 2, MAX_RANGE_BYTES)).toMatchObject({ kind: 'unsatisfiable', reason: expect.stringMatching(/at most/) });
    expect(rangeOf('bytes=0-0', 0, 50).kind).toBe('unsatisfiable');
  });
});

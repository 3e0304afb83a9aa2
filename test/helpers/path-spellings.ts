// Other spellings of one path, as an attacker writes them to walk around a check made on the
// raw URL, and a request that sends the path byte for byte (fetch and URL would tidy it up:
// they drop dot segments and treat %2e as a dot).
import { request } from 'node:http';

/** The same route spelled otherwise: percent-encoding, case, dot segments, doubled and encoded slashes. */
export function pathSpellings(path: string): string[] {
  const [, first = '', rest = ''] = /^\/([^/]+)(.*)$/.exec(path) ?? [];
  const encodeFirst = `%${first.charCodeAt(0).toString(16)}${first.slice(1)}`;
  const last = path.slice(-1);
  const spellings = [
    `/${encodeFirst}${rest}`, // /%61pi/indicators
    `/${[...first].map((c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`).join('')}${rest}`, // /%61%70%69/…
    `/${first.toUpperCase()}${rest}`, // /API/…
    `/x/../${first}${rest}`,
    `/./${first}${rest}`,
    `/x/%2e%2e/${first}${rest}`,
    `/x/%2E%2E/${first}${rest}`,
    `/%2e/${first}${rest}`,
    path.replaceAll('/', '//'), // //api//indicators
    `/${first}${rest.replace('/', '%2F')}`, // /api%2Findicators
    `/${first}${rest.replace('/', '%2f')}`,
    `/${first}${rest.replace('/', '/./')}`, // /api/./indicators
    `${path.slice(0, -1)}%${last.charCodeAt(0).toString(16)}`, // last letter encoded
    `${path}/`,
    `${path}/.`,
    `${path}%20`,
    `${path}%00`,
    `/${first}/health/..${rest}`, // past the public route
    `/${first}/auth/login/../..${rest}`,
    `/${first}/health%2F..${rest}`,
    `\\${first}${rest}`,
    `/${first}\\${rest.slice(1)}`,
  ];
  return [...new Set(spellings)].filter((s) => s !== path);
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One request with the path sent exactly as given; status 0 when the server's HTTP parser refused it and hung up. */
export function rawRequest(base: string, method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<RawResponse> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, method, path, agent: false, headers: { connection: 'close', ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', (err: NodeJS.ErrnoException) => (err.code === 'ECONNRESET' || err.message === 'socket hang up' ? resolve({ status: 0, headers: {}, body: '' }) : reject(err)));
    req.end(body);
  });
}

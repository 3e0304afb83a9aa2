// Slow clients hold no connection for long, through real TCP sockets (node:net): a body sent a
// byte at a time is cut (408, connection closed) at the route's time (the file uploads get their
// own, longer one), headers trickled likewise, an idle keep-alive connection is closed, and
// connections past the cap are refused. Live screens are not cut: socket.io over websocket and
// over long-polling outlive every one of these limits.
import { connect, type Socket } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import { login, type TestServer } from '../helpers/server.ts';
import { useServer } from '../helpers/use-server.ts';
import { connectLive } from '../helpers/live.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const SHORT = { requestTimeoutMs: 1000, uploadTimeoutMs: 8000, headersTimeoutMs: 1000, keepAliveTimeoutMs: 500, idleTimeoutMs: 60_000, maxConnections: 10_000 };

interface Trickled {
  /** What the server answered, if anything. */
  response: string;
  /** Bytes of the request written before the server answered or closed. */
  sent: number;
  total: number;
}

/** Writes `head` at once and then `rest` a byte every `everyMs`, until done or the server answers or hangs up. */
function trickle(url: string, head: string, rest: string, everyMs: number): Promise<Trickled> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket: Socket = connect(Number(port), hostname);
    let response = '';
    let sent = 0;
    let done = false;
    const bytes = Buffer.from(rest);
    const finish = () => {
      if (done) return;
      done = true;
      clearInterval(timer);
      socket.destroy();
      resolve({ response, sent, total: bytes.length });
    };
    socket.on('data', (d) => {
      response += d.toString();
      // The whole answer (status line, headers, body) is in once the socket ends; wait for that.
    });
    socket.on('close', finish);
    socket.on('error', finish);
    socket.write(head);
    const timer = setInterval(() => {
      if (response || socket.destroyed) return;
      if (sent >= bytes.length) return;
      socket.write(bytes.subarray(sent, sent + 1));
      sent++;
    }, everyMs);
    // Answered in full but the connection kept open: stop after the answer has sat a while.
    socket.on('data', () => setTimeout(finish, 300));
  });
}

const status = (response: string) => Number(/^HTTP\/1\.1 (\d{3})/.exec(response)?.[1] ?? 0);

describe('slow clients', () => {
  const env = useServer({ config: { http: { ...SHORT } }, roles: ['admin'] });
  let srv: TestServer;
  let admin: string;
  beforeAll(() => {
    srv = env.srv;
    admin = env.tokens.admin!;
  });

  it('cuts a body sent a byte at a time at the request timeout: 408, connection closed', async () => {
    const body = JSON.stringify({ username: 'admin', password: 'x'.repeat(40) });
    const head = `POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`;
    const result = await trickle(srv.url, head, body, 150);
    expect(result.sent, 'cut before the body was all sent').toBeLessThan(result.total);
    expect(status(result.response), result.response).toBe(408);
    expect(result.response).toMatch(/"error":"request-timeout"/);
  }, 30_000);

  it('cuts headers sent a byte at a time at the headers timeout', async () => {
    const headers = `Host: x\r\nX-Slow: ${'a'.repeat(40)}\r\n\r\n`;
    const result = await trickle(srv.url, 'GET /api/health HTTP/1.1\r\n', headers, 150);
    expect(result.sent, 'cut before the headers were all sent').toBeLessThan(result.total);
    expect([0, 408], result.response).toContain(status(result.response));
  }, 30_000);

  it('gives a file upload its own, longer time for the body', async () => {
    const csv = '名称,经度,纬度\n';
    const bytes = Buffer.from(csv);
    const head =
      `POST /api/imports?layer=samplingPoints&crs=wgs84 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${admin}\r\n` +
      `Content-Type: text/csv\r\nContent-Length: ${bytes.length}\r\nConnection: close\r\n\r\n`;
    // ~2.5 s of body: past the 1 s of an ordinary request, well within the upload's 8 s.
    const result = await trickle(srv.url, head, csv, Math.ceil(2500 / bytes.length));
    expect(result.sent).toBe(result.total);
    expect(status(result.response), result.response.slice(0, 300)).not.toBe(408);
    expect(status(result.response), result.response.slice(0, 300)).toBeLessThan(500);
    expect(status(result.response), result.response.slice(0, 300)).toBeGreaterThanOrEqual(200);
  }, 30_000);

  it('cuts an upload too at its own limit', async () => {
    const body = 'a,b\n'.repeat(100);
    const head =
      `POST /api/imports?layer=samplingPoints&crs=wgs84 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${admin}\r\n` +
      `Content-Type: text/csv\r\nContent-Length: ${body.length}\r\n\r\n`;
    // 400 bytes at 40 a second: 10 s, past the upload's 8 s.
    const result = await trickle(srv.url, head, body, 25);
    expect(result.sent).toBeLessThan(result.total);
    expect([0, 408], result.response).toContain(status(result.response));
  }, 30_000);

  it('closes an idle keep-alive connection after the keep-alive timeout', async () => {
    const { hostname, port } = new URL(srv.url);
    const socket = connect(Number(port), hostname);
    let answer = '';
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.on('data', (d) => (answer += d.toString()));
    socket.write('GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n');
    // Closed by the server, not by this test (which would otherwise wait for the test's own timeout).
    await closed;
    expect(status(answer)).toBe(200);
  }, 30_000);

  it('keeps live screens connected past every limit, over websocket and long-polling', async () => {
    const token = await login(srv.url, 'wall');
    for (const transports of [['websocket'], ['polling']] as const) {
      const socket = connectLive(srv.url, { token }, { transports: [...transports] });
      const first = await new Promise<string>((resolve) => {
        socket.once('snapshot', (s) => resolve(`snapshot ${s.reason}`));
        socket.once('connect_error', (e) => resolve(e.message));
      });
      expect(first, transports[0]).toBe('snapshot connect');
      let disconnected = '';
      socket.on('disconnect', (reason) => (disconnected = reason));
      // Longer than the request, headers and keep-alive timeouts together.
      await sleep(3000);
      expect(disconnected, transports[0]).toBe('');
      socket.emit('resync');
      const again = await new Promise<string>((resolve) => socket.once('snapshot', (s) => resolve(s.reason ?? '')));
      expect(again, transports[0]).toBe('resync');
      socket.close();
    }
  }, 30_000);
});

describe('the connection cap', () => {
  const env = useServer({ config: { http: { ...SHORT, headersTimeoutMs: 20_000, requestTimeoutMs: 20_000, maxConnections: 3 } } });
  let srv: TestServer;
  beforeAll(() => {
    srv = env.srv;
  });

  it('refuses connections past HTTP_MAX_CONNECTIONS and takes them again once some close', async () => {
    const { hostname, port } = new URL(srv.url);
    const open = async () => {
      const socket = connect(Number(port), hostname);
      await new Promise((resolve) => socket.once('connect', resolve));
      socket.write('GET /api/health HTTP/1.1\r\nHost: x\r\n'); // headers never finished: the connection stays
      return socket;
    };
    const held = [await open(), await open(), await open()];
    await sleep(200);
    const extra = await open();
    const extraClosed = await new Promise<boolean>((resolve) => {
      extra.once('close', () => resolve(true));
      setTimeout(() => resolve(false), 5000);
    });
    expect(extraClosed, 'the fourth connection is closed by the server').toBe(true);
    for (const s of held) s.destroy();
    await sleep(200);
    expect((await fetch(`${srv.url}/api/health`)).status).toBe(200);
  }, 30_000);
});

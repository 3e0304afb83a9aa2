// GET /metrics: not public; with the token or an admin session it reports live screens,
// messages, positions by reason and alerts in Prometheus text.
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, startTestServer, type TestServer } from '../helpers/server.ts';

describe('/metrics', () => {
  let srv: TestServer;
  const TOKEN = 'metrics-token-0123456789';
  beforeAll(async () => {
    srv = await startTestServer({ config: { metricsToken: TOKEN } });
  });
  afterAll(() => srv?.close());

  const scrape = async (auth?: string) => {
    const res = await fetch(`${srv.url}/metrics`, { headers: auth ? { authorization: `Bearer ${auth}` } : {} });
    return { status: res.status, text: await res.text() };
  };

  it('refuses anonymous scrapes and non-admin sessions', async () => {
    expect((await scrape()).status).toBe(401);
    expect((await scrape('wrong-token-0000000000')).status).toBe(401);
    expect((await scrape(await login(srv.url, 'commander'))).status).toBe(401);
    expect((await scrape(await login(srv.url, 'admin'))).status).toBe(200);
  });

  it('counts live screens by role, messages sent, positions by reason, and alerts', async () => {
    const wall = io(`${srv.url}/live`, { auth: { token: await login(srv.url, 'wall') }, transports: ['websocket'], forceNew: true, reconnection: false });
    await new Promise((r) => wall.once('snapshot', r));
    const dispatcher = await login(srv.url, 'dispatcher');
    await fetch(`${srv.url}/api/ambulances/positions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${dispatcher}`, 'content-type': 'application/json' },
      body: JSON.stringify({ fixes: [{ id: 'NP01', lng: 0, lat: 0 }] }),
    });
    await srv.app.alerts.evaluate();
    const { status, text } = await scrape(TOKEN);
    expect(status).toBe(200);
    expect(text).toMatch(/^board_live_clients\{role="wall"\} 1$/m);
    expect(text).toMatch(/^board_live_sent_total\{kind="snapshots"\} [1-9]/m);
    expect(text).toMatch(/^board_positions_total\{source="batch",result="zero"\} 1$/m);
    expect(text).toMatch(/^board_alerts\{severity="warning",status="open"\} [1-9]/m);
    expect(text).toMatch(/^board_store_up 1$/m);
    expect(text).toMatch(/^board_process_process_resident_memory_bytes \d+/m);
    wall.close();
  });
});

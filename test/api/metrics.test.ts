// GET /metrics: not public; with the token or an admin session it reports live screens,
// messages, positions by reason and alerts in Prometheus text.
import { describe, expect, it } from 'vitest';
import { rawRequest } from '../helpers/path-spellings.ts';
import { login } from '../helpers/server.ts';
import { useServer } from '../helpers/use-server.ts';
import { connectLive } from '../helpers/live.ts';

describe('/metrics', () => {
  const TOKEN = 'metrics-token-0123456789';
  const env = useServer({ config: { metricsToken: TOKEN } });

  const scrape = async (auth?: string) => {
    const res = await fetch(`${env.srv.url}/metrics`, { headers: auth ? { authorization: `Bearer ${auth}` } : {} });
    return { status: res.status, text: await res.text() };
  };

  it('refuses anonymous scrapes and non-admin sessions', async () => {
    expect((await scrape()).status).toBe(401);
    expect((await scrape('wrong-token-0000000000')).status).toBe(401);
    expect((await scrape(await login(env.srv.url, 'commander'))).status).toBe(401);
    expect((await scrape(await login(env.srv.url, 'admin'))).status).toBe(200);
  });

  it('refuses a token of the right length with a non-ASCII byte with 401, not 500', async () => {
    // Sent as raw bytes (Node reads header bytes as latin1: é is one character, two in UTF-8).
    for (const given of [`${TOKEN.slice(0, -1)}é`, `é${TOKEN.slice(1)}`, '\u00ff'.repeat(TOKEN.length)]) {
      const res = await rawRequest(env.srv.url, 'GET', '/metrics', { authorization: `Bearer ${given}` });
      expect(res.status, given).toBe(401);
    }
    expect((await scrape(TOKEN)).status).toBe(200);
  });

  it('counts live screens by role, messages sent, positions by reason, and alerts', async () => {
    const wall = connectLive(env.srv.url, { token: await login(env.srv.url, 'wall') });
    await new Promise((r) => wall.once('snapshot', r));
    const dispatcher = await login(env.srv.url, 'dispatcher');
    await fetch(`${env.srv.url}/api/ambulances/positions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${dispatcher}`, 'content-type': 'application/json' },
      body: JSON.stringify({ fixes: [{ id: 'NP01', lng: 0, lat: 0 }] }),
    });
    await env.srv.app.alerts.evaluate();
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

// The county's day is its own: a county whose data names a time zone gets its days, "today"
// and its clocks in that zone (served to screens in /api/health and /api/client-config), and
// REPORT_TIME_ZONE, where set, wins over the data. The sample names none: China's.
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.ts';
import { login, sampleCounty, startTestServer, type TestServer } from '../helpers/server.ts';

const servers: TestServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

async function zoneOf(srv: TestServer) {
  const health = (await (await fetch(`${srv.url}/api/health`)).json()) as { county: { timeZone: string } };
  const token = await login(srv.url, 'commander');
  const get = async <T>(path: string) => (await (await fetch(`${srv.url}${path}`, { headers: { authorization: `Bearer ${token}` } })).json()) as T;
  const client = await get<{ county: { timeZone: string } }>('/api/client-config');
  const kpis = await get<{ timeZone: string; date: string }>('/api/kpis');
  const reports = await get<{ timeZone: string }>('/api/reports');
  return { health: health.county.timeZone, client: client.county.timeZone, kpis: kpis.timeZone, reports: reports.timeZone, date: kpis.date };
}

describe('the county’s time zone', () => {
  // 17:30 UTC: already the next day in China (01:30), still this day in Ürümqi (UTC+6, 23:30) and London.
  const at = Date.UTC(2026, 11, 1, 17, 30);

  it('is China’s for the sample, which names none', async () => {
    const srv = await startTestServer({ clock: () => at });
    servers.push(srv);
    expect(await zoneOf(srv)).toEqual({ health: 'Asia/Shanghai', client: 'Asia/Shanghai', kpis: 'Asia/Shanghai', reports: 'Asia/Shanghai', date: '2026-12-02' });
  });

  it('comes from the county’s data, and REPORT_TIME_ZONE wins over it', async () => {
    const sample = await sampleCounty();
    const county = { ...sample, info: { ...sample.info, timeZone: 'Asia/Urumqi' } };
    const own = await startTestServer({ county, clock: () => at });
    servers.push(own);
    expect(await zoneOf(own)).toEqual({ health: 'Asia/Urumqi', client: 'Asia/Urumqi', kpis: 'Asia/Urumqi', reports: 'Asia/Urumqi', date: '2026-12-01' });
    expect(own.app.updates.dayOf(at)).toBe('2026-12-01');

    const { report } = loadConfig({ REPORT_TIME_ZONE: 'Europe/London' });
    const set = await startTestServer({ county, clock: () => at, config: { report } });
    servers.push(set);
    expect(await zoneOf(set)).toMatchObject({ health: 'Europe/London', client: 'Europe/London', kpis: 'Europe/London', date: '2026-12-01' });
  });
});

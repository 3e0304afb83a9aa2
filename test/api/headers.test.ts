// Security headers on every response, and a content policy that lets in only our own
// origin and the chosen basemap's tile hosts.
import { beforeAll, describe, expect, it } from 'vitest';
import { VIEW_ROUTES } from '../../server/plugins/client.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { useServer } from '../helpers/use-server.ts';

describe('security headers', () => {
  const offlineEnv = useServer();
  const amapEnv = useServer({ config: { basemap: { kind: 'amap' } } });
  let offline: TestServer;
  let amap: TestServer;
  beforeAll(() => {
    offline = offlineEnv.srv;
    amap = amapEnv.srv;
  });

  it('sends them with pages and API answers alike', async () => {
    for (const path of ['/signin', '/api/health']) {
      const res = await fetch(`${offline.url}${path}`);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('autonavi');
    }
  });

  it('asks browsers to upgrade insecure requests only when the board is served over https (TLS=1)', async () => {
    // On plain http under a host name the upgrade would send the board's scripts to https: a blank page.
    expect((await fetch(`${offline.url}/signin`)).headers.get('content-security-policy')).not.toContain('upgrade-insecure-requests');
    const tls = await startTestServer({ config: { tls: true } });
    try {
      expect((await fetch(`${tls.url}/signin`)).headers.get('content-security-policy')).toContain('upgrade-insecure-requests');
    } finally {
      await tls.close();
    }
  });

  it('serves the pages no-cache and the hashed assets for a year', async () => {
    for (const path of [...VIEW_ROUTES, '/index.html', '/sw.js']) {
      const res = await fetch(`${offline.url}${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('cache-control'), path).toBe('no-cache');
    }
    const html = await (await fetch(`${offline.url}/`)).text();
    const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]!);
    expect(assets.length).toBeGreaterThan(0);
    for (const path of assets) {
      const res = await fetch(`${offline.url}${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('cache-control'), path).toBe('public, max-age=31536000, immutable');
    }
    expect((await fetch(`${offline.url}/icon.svg`)).headers.get('cache-control')).toBe('public, max-age=3600');
  });

  it('lets the Amap tiles in when that is the basemap, and nothing else', async () => {
    const csp = (await fetch(`${amap.url}/signin`)).headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/connect-src 'self' https:\/\/webrd01\.is\.autonavi\.com/);
    expect(csp).not.toContain('tianditu');
  });
});

// Security headers on every response, and a content policy that lets in only our own
// origin and the chosen basemap's tile hosts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';

describe('security headers', () => {
  let offline: TestServer;
  let amap: TestServer;
  beforeAll(async () => {
    offline = await startTestServer();
    amap = await startTestServer({ config: { basemap: { kind: 'amap' } } });
  });
  afterAll(async () => {
    await offline?.close();
    await amap?.close();
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

  it('lets the Amap tiles in when that is the basemap, and nothing else', async () => {
    const csp = (await fetch(`${amap.url}/signin`)).headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/connect-src 'self' https:\/\/webrd01\.is\.autonavi\.com/);
    expect(csp).not.toContain('tianditu');
  });
});

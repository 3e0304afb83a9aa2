// Clients dropped at random points of a busy stream resume and end with exactly
// the store's state: no delta lost, none applied twice.
import { isDeepStrictEqual } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { ClientView, subscriptionFilter } from '../../server/realtime/subscription.ts';
import { viewCollections } from '../../server/domain/privacy.ts';
import type { Change, Subscription } from '../../server/schema/index.ts';
import { mulberry32 } from '../../server/simulator/random.ts';
import { LiveFollower } from '../helpers/live-follower.ts';
import { login, sampleCounty, type TestServer } from '../helpers/server.ts';
import { useServer } from '../helpers/use-server.ts';
import { waitFor } from '../helpers/wait.ts';

for (const storeKind of ['redis', 'memory'] as const) {
  describe(`random disconnects on a busy stream (${storeKind} store)`, () => {
    // Ten screens share two sessions and reconnect dozens of times: more than a session's share of resumes a minute.
    const env = useServer({ redis: storeKind === 'redis', config: { liveFrameMs: 50, fieldFrameMs: 150, liveResumesPerMinute: 10_000 } });
    let server: TestServer;
    beforeAll(() => {
      server = env.srv;
    });

    it('every client ends with the store’s state (its part of it, for subscribed tablets)', async () => {
      const random = mulberry32(storeKind === 'redis' ? 11 : 12);
      const wall = await login(server.url, 'commander'); // a full view (the wall itself gets names blanked)
      const field = await login(server.url, 'field');
      const tabletSub: Subscription = { layers: ['samplingPoints', 'ambulances'], area: { town: '渊泉镇' } };
      const followers = [
        ...Array.from({ length: 6 }, () => new LiveFollower(server.url, wall)),
        ...Array.from({ length: 4 }, () => new LiveFollower(server.url, field, tabletSub)),
      ];
      followers.forEach((f) => f.connect());

      const start = await server.store.snapshot();
      const ambulances = Object.values(start.collections.ambulances);
      const points = Object.values(start.collections.samplingPoints);
      const county = await sampleCounty();
      let writes = 0;
      let drops = 0;
      // A number of writes, not a while: on a busy machine a while holds fewer.
      while (writes < 300) {
        // A burst of changes: ambulances moving (in and out of the seat), queues changing.
        const a = ambulances[Math.floor(random() * ambulances.length)]!;
        const lng = 95.2 + random() * 1.2;
        const lat = 40.3 + random() * 0.4;
        const changes: Change[] = [
          {
            op: 'upsert',
            collection: 'ambulances',
            entity: { ...a, fix: { ...a.fix!, lng, lat, at: Date.now() }, gridId: county.locator.locate(lng, lat)?.id ?? null },
          },
        ];
        if (random() < 0.3) {
          const p = points[Math.floor(random() * points.length)]!;
          changes.push({ op: 'upsert', collection: 'samplingPoints', entity: { ...p, queue: Math.floor(random() * 300) } });
        }
        await server.store.apply(changes, Date.now());
        writes++;
        // Now and then drop a random client and bring it back a little later.
        if (random() < 0.05) {
          const f = followers[Math.floor(random() * followers.length)]!;
          if (f.connected) {
            f.disconnect();
            drops++;
            setTimeout(() => f.connect(), random() * 200);
          }
        }
        await new Promise((r) => setTimeout(r, random() * 4));
      }
      await new Promise((r) => setTimeout(r, 300)); // the last reconnections
      for (const f of followers) if (!f.connected) f.connect();

      const truth = await server.store.snapshot();
      const townOf = (g: string) => county.locator.byId(g)?.townName;
      // A field tablet's part, as its role may see it (no crews: server/domain/privacy.ts).
      const tabletTruth = viewCollections('field', new ClientView(subscriptionFilter(tabletSub, townOf)).reset(truth.collections), { gridPoint: () => undefined });

      const settled = () => followers.every((f, i) => isDeepStrictEqual(f.collections, i < 6 ? truth.collections : tabletTruth));
      await waitFor(settled, "every client at the store's state", 15_000, 50);

      expect(drops).toBeGreaterThan(3);
      followers.forEach((f, i) => {
        expect(f.outOfOrder, `client ${i}`).toEqual([]);
        expect(f.collections, `client ${i}`).toEqual(i < 6 ? truth.collections : tabletTruth);
      });
      // Reconnections resumed by replay, not by starting over.
      expect(followers.reduce((n, f) => n + f.replays, 0)).toBeGreaterThan(0);
      followers.forEach((f) => f.disconnect());
    }, 40_000);
  });
}

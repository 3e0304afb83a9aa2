// Serves the built Svelte client (dist/client) and its view routes, plus an
// empty glyph endpoint so the map never asks another origin for fonts (Chinese
// labels are drawn with the browser's local font).
import { existsSync } from 'node:fs';
import { basename, resolve, sep } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyReply } from 'fastify';
import fp from 'fastify-plugin';
import { viewPaths } from '../schema/index.ts';

/** Every path the client routes (its views' paths come from the client's own table). */
export const VIEW_ROUTES = ['/', '/signin', ...Object.values(viewPaths)];

export default fp(
  async (app) => {
    const root = resolve(app.config.clientDir);
    app.get('/glyphs/:fontstack/:range', async (_request, reply) => reply.type('application/x-protobuf').header('cache-control', 'public, max-age=86400').send(Buffer.alloc(0)));
    if (!existsSync(resolve(root, 'index.html'))) {
      app.log.warn({ root }, 'client build missing: run `npm run build` (npm start does it for you)');
      for (const url of VIEW_ROUTES) {
        app.get(url, async (_request, reply) => reply.code(503).type('text/plain; charset=utf-8').send('客户端尚未构建：请运行 npm run build (client not built)'));
      }
      return;
    }
    // wildcard: serve what is on disk now, so a rebuild under a running server never 404s its new assets.
    // Caching: the pages (index.html, the service worker) are asked again each time (no-cache:
    // a new build is seen at once); vite's hashed assets never change under their name (a year,
    // immutable); the icons and manifest an hour. Set after @fastify/static's own maxAge, which
    // otherwise gave the pages an hour too.
    const assets = `${resolve(root, 'assets')}${sep}`;
    const setHeaders = (reply: FastifyReply, path: string) => {
      if (path.endsWith('.html') || basename(path) === 'sw.js') reply.header('cache-control', 'no-cache');
      else if (resolve(path).startsWith(assets)) reply.header('cache-control', 'public, max-age=31536000, immutable');
    };
    await app.register(fastifyStatic, { root, prefix: '/', index: false, maxAge: '1h', setHeaders });
    for (const url of VIEW_ROUTES) {
      app.get(url, async (_request, reply) => reply.sendFile('index.html'));
    }
  },
  { name: 'client', dependencies: ['services'] },
);

// Builds the Svelte client from client/ into dist/client; the dev server proxies the API
// and the socket.io endpoint to the Fastify server on :3000.
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

// BOARD_API points the dev server at another backend (a second instance, a mock).
const apiTarget = process.env.BOARD_API ?? 'http://127.0.0.1:3000';

export default defineConfig({
  root: 'client',
  plugins: [svelte()],
  build: {
    outDir: '../dist/client',
    emptyOutDir: true,
    // MapLibre alone is ~1 MB minified; one chunk for it is expected, not a regression.
    chunkSizeWarningLimit: 1500,
  },
  server: {
    proxy: {
      '/api': apiTarget,
      '/glyphs': apiTarget,
      '/socket.io': { target: apiTarget, ws: true },
    },
  },
});

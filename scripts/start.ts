// `npm start`: builds the client when its build is missing or older than its
// sources, then starts the server (which reads its configuration from the env).
import { buildClient, clientBuildIsStale } from './client-build.ts';

if (clientBuildIsStale()) {
  console.log('building the client (vite build)…');
  buildClient();
}
await import('../server/main.ts');

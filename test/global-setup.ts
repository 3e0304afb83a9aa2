// Builds the client once before the suite when the build is missing or stale,
// so browser tests serve what the sources say.
import { buildClient, clientBuildIsStale } from '../scripts/client-build.ts';

export default function setup(): void {
  if (clientBuildIsStale()) buildClient();
}

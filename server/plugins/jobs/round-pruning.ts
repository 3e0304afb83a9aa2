// Testing rounds ended long ago leave the live state, with their grids: checked every hour.
import { every } from './every.ts';

export default every(
  () => 3_600_000,
  (app) => app.testingRounds.prune(),
  { name: 'job-round-pruning', failed: 'pruning testing rounds failed' },
);

// Sample batches resulted long ago leave the live state: checked every 10 minutes.
import { every } from './every.ts';

export default every(
  () => 600_000,
  (app) => app.sampleBatches.prune(),
  { name: 'job-sample-batch-pruning', failed: 'pruning sample batches failed' },
);

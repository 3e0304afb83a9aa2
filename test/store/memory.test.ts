import { MemoryStore } from '../../server/store/memory-store.ts';
import { storeContract } from './contract.ts';

storeContract('memory', async () => new MemoryStore());

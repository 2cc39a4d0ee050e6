import { MemoryStore } from '@confab/core';
import { describeStoreContract } from '../src/store-contract/store-contract.js';

// Core's own store runs the contract here: core cannot depend on the testkit (the testkit
// depends on core), and the contract is proven on the store every other is compared with.
describeStoreContract('MemoryStore', async () => {
  const store = new MemoryStore();
  await store.open();
  return { store, dispose: () => store.close() };
});

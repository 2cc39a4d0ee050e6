import type { TestProject } from 'vitest/node';
import { type SynapseInfo, startSynapse } from '@confab/testkit/synapse';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The Synapse of this test run, or why there is none. */
    synapse: SynapseInfo | { readonly missing: string };
  }
}

/** One Synapse for every `*.synapse.test.ts` file of the run, started with the repo's script. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const started = await startSynapse();
  if ('missing' in started) {
    project.provide('synapse', { missing: started.missing });
    return async () => {};
  }
  project.provide('synapse', started.info);
  return started.stop;
}

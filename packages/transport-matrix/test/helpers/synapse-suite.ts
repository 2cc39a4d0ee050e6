import { inject } from 'vitest';
import type { SynapseInfo } from '@confab/testkit/synapse';

/**
 * The run's Synapse, or undefined after printing why the suite is skipped. The global setup
 * already failed the run when peers are required (CONFAB_REQUIRE_PEERS=1) and Synapse is missing.
 */
export function synapseOrSkip(suite: string): SynapseInfo | undefined {
  const provided = inject('synapse');
  if ('missing' in provided) {
    console.warn(`[${suite}] skipped: peer missing: ${provided.missing}`);
    return undefined;
  }
  return provided;
}

import { availableParallelism } from 'node:os';

/**
 * Threads per worker when the profile does not say. node-llama-cpp's own default on CPU is
 * max(4, cores), which oversubscribes small machines badly (about 400x slower on 2 cores, see
 * TESTING.md); half the logical cores (physical cores on SMT machines), split among the
 * profile's workers, never less than one.
 */
export function defaultThreads(workers: number, cores = availableParallelism()): number {
  return Math.max(1, Math.floor(cores / 2 / Math.max(1, workers)));
}

/** The V8 helper threads Node starts when nothing sets `--v8-pool-size`. */
export const NODE_DEFAULT_V8_POOL_SIZE = 4;

/**
 * How many V8 helper threads (Node's `--v8-pool-size`) a bot's process should have on a machine
 * with `cpus` CPUs: one CPU is left to the thread that answers messages, and never more than
 * Node's default.
 *
 * Why: during a full garbage collection V8 marks the heap on every helper thread at once. With
 * Node's four helpers on a 2-CPU machine they took the CPU from the main thread while it was
 * busy answering, so every message that arrived during the collection waited. With one helper,
 * the engine bench's full collections paused the bot less in fifteen of sixteen runs (by up to
 * 2.1 times); its p99 latency was lower in nine of them, within the machine's noise.
 * Dependency-free (also exported as `@confab/core/v8-pool-size`), so a launcher can decide
 * before it loads anything else.
 */
export function v8PoolSizeFor(cpus: number): number {
  return Math.max(1, Math.min(NODE_DEFAULT_V8_POOL_SIZE, Math.floor(cpus) - 1));
}

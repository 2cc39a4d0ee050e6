import { setFlagsFromString } from 'node:v8';
import type { EngineConfig } from '../config/schema.js';

/**
 * How far the JavaScript heap may grow past what a full garbage collection left alive before the
 * next full collection starts: a multiple of the live size, or `'v8'` for V8's own choice
 * (`engine.heapGrowth` in the config).
 */
export type HeapGrowth = EngineConfig['heapGrowth'];

/**
 * The V8 flag that sets {@link HeapGrowth}: `--heap-growing-percent`, where 0 restores V8's own
 * choice. V8 reads it each time it sets the next collection's limit, so setting it while running
 * takes effect at the next collection.
 */
export function heapGrowthFlag(growth: HeapGrowth): string {
  const percent = growth === 'v8' ? 0 : Math.round((growth - 1) * 100);
  return `--heap-growing-percent=${percent}`;
}

/**
 * Applies a {@link HeapGrowth} to this process (every bot in it: the setting is the process's).
 *
 * Why a bot wants more than V8's choice: V8 sizes the old generation for throughput, and for a
 * heap of tens of MB it starts the next full collection at about 1.1–2 times the live size (at
 * least 8 MB more). A busy bot promotes every stored history message and processed-event id into
 * the old generation, so at thousands of messages a second it ran a full collection every second
 * or so, each pausing the event loop for 8–20 ms in all and delaying every message that arrived
 * meanwhile. With room for four times the live heap they come a few times less often, for a heap
 * that may reach four times its live size (`pnpm bench engine` measures both settings).
 */
export function applyHeapGrowth(growth: HeapGrowth): void {
  setFlagsFromString(heapGrowthFlag(growth));
}

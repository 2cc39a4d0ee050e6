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
 * or so. Each one costs the bot more than its final pause: while it marks (20–80 ms), the thread
 * that answers messages also marks a share of what it allocates and runs about a third slower,
 * which at half load builds a backlog that the pause (4–11 ms) then lengthens.
 *
 * Measured under `pnpm bench engine`'s load (about 21,000 messages/s on 2 CPUs, 20 s windows):
 * each full collection left from under a hundred to about 1,700 messages waiting over 5 ms.
 * Room for four times the live heap gave three full collections per window and a peak heap of
 * 195–220 MB; eight times (the default) gave one, at 245–340 MB. A bot under lighter load
 * promotes less, so its heap takes longer to grow to that room; V8's memory reducer shrinks the
 * heap of a process that has gone quiet (V8's behaviour, not measured here).
 */
export function applyHeapGrowth(growth: HeapGrowth): void {
  setFlagsFromString(heapGrowthFlag(growth));
}

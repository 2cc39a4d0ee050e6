import { describe, expect, it } from 'vitest';
import type { Backend, StreamPart } from '../../src/backend/backend.js';
import { schedulerSchema } from '../../src/config/schema.js';
import { EventBus } from '../../src/events/event-bus.js';
import { createSilentLogger } from '../../src/logging/pino-logger.js';
import { BackendRegistry } from '../../src/runtime/registries.js';
import { LocalScheduler } from '../../src/scheduler/local-scheduler.js';

function backend(name: string, alive?: () => number): Backend {
  return {
    name,
    profiles: () => ['default'],
    capacity: () => ({ workers: 3, parallel: 1, contextTokens: 1024 }),
    start: async () => {},
    stop: async () => {},
    async *generate(): AsyncIterable<StreamPart> {},
    ...(alive ? { workersAlive: alive } : {}),
  };
}

describe('LocalScheduler.stats() workersAlive', () => {
  it("reports the backend's own alive count when it supervises workers, else its slots", async () => {
    let alive = 3;
    const backends = new BackendRegistry();
    backends.add(backend('supervised', () => alive));
    backends.add(backend('plain'));
    const scheduler = new LocalScheduler(
      backends,
      schedulerSchema.parse({}),
      new EventBus(),
      createSilentLogger(),
    );
    await scheduler.start();
    const find = (name: string) => scheduler.stats().find((stats) => stats.backend === name)!;
    expect(find('supervised')).toMatchObject({ workers: 3, workersAlive: 3 });
    alive = 2;
    expect(find('supervised')).toMatchObject({ workers: 3, workersAlive: 2 });
    expect(find('plain')).toMatchObject({ workers: 3, workersAlive: 3 });
    await scheduler.stop(0);
  });
});

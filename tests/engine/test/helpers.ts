import { MemoryStore } from '@confab/core';
import { createTestBot, type TestBot, type TestBotOptions } from '@confab/testkit';
import { afterEach } from 'vitest';

const running: TestBot[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((t) => t.bot.stop(100)));
});

/** A started test bot, stopped after the test. */
export async function startBot(options: TestBotOptions = {}): Promise<TestBot> {
  const test = createTestBot(options);
  await test.bot.start();
  running.push(test);
  return test;
}

/** Two mates, ada and bob, on the scripted backend. */
export const twoMates = [
  { name: 'ada', backend: 'scripted', profile: 'default', system: 'You are Ada.' },
  {
    name: 'bob',
    backend: 'scripted',
    profile: 'default',
    system: 'You are Bob.',
    triggers: { keywords: ['bobby'] },
  },
];

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A memory store whose reads (`get`) or writes (`put`) in one namespace wait until
 * {@link letThrough}, like a slow disk.
 */
export class HeldStore extends MemoryStore {
  readonly #held: (() => void)[] = [];
  #open = false;

  constructor(
    private readonly op: 'get' | 'put',
    private readonly namespace: string,
  ) {
    super();
  }

  /** Operations waiting to be let through. */
  get held(): number {
    return this.#held.length;
  }

  override async get<T>(namespace: string, key: string): Promise<T | undefined> {
    await this.#wait('get', namespace);
    return super.get<T>(namespace, key);
  }

  override async put<T>(namespace: string, key: string, value: T): Promise<void> {
    await this.#wait('put', namespace);
    return super.put(namespace, key, value);
  }

  /** Lets the held operations and all later ones through. */
  letThrough(): void {
    this.#open = true;
    for (const resolve of this.#held.splice(0)) resolve();
  }

  async #wait(op: 'get' | 'put', namespace: string): Promise<void> {
    if (this.#open || op !== this.op || namespace !== this.namespace) return;
    await new Promise<void>((resolve) => this.#held.push(resolve));
  }
}

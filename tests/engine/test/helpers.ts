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

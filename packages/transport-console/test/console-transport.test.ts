import { PassThrough } from 'node:stream';
import {
  type ChatMessage,
  type ConfabConfig,
  configSchema,
  createSilentLogger,
  EventBus,
  isConfabError,
  isPluginDefinition,
  type PluginInstanceInfo,
  Tokens,
  type Transport,
} from '@confab/core';
import { container as rootContainer } from 'tsyringe';
import { afterEach, describe, expect, it } from 'vitest';
import consoleTransportPlugin, {
  CONSOLE_USER_ID,
  ConsoleTokens,
  ConsoleTransport,
  consoleMateUserId,
} from '../src/index.js';

interface Harness {
  transport: ConsoleTransport;
  input: PassThrough;
  output: PassThrough;
  received: ChatMessage[];
  /** Everything written to the output so far. */
  written(): string;
  ended: Promise<void>;
}

const started: Transport[] = [];

afterEach(async () => {
  await Promise.all(started.splice(0).map((t) => t.stop()));
});

async function startHarness(
  options: { mates?: string[]; defaultMate?: string; onMessage?: (m: ChatMessage) => Promise<void> } = {},
): Promise<Harness> {
  const input = new PassThrough();
  const output = new PassThrough();
  let text = '';
  output.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8');
  });
  let resolveEnded!: () => void;
  const ended = new Promise<void>((resolve) => {
    resolveEnded = resolve;
  });
  const transport = new ConsoleTransport({
    name: 'console',
    input,
    output,
    user: 'alice',
    prompt: '> ',
    mates: options.mates ?? ['ada', 'bob'],
    ...(options.defaultMate ? { defaultMate: options.defaultMate } : {}),
    logger: createSilentLogger(),
    onEnd: resolveEnded,
  });
  const received: ChatMessage[] = [];
  await transport.start(async (message) => {
    received.push(message);
    await options.onMessage?.(message);
  });
  started.push(transport);
  return { transport, input, output, received, written: () => text, ended };
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(condition()).toBe(true);
}

describe('ConsoleTransport', () => {
  it('turns each input line into a direct message from the local user', async () => {
    const h = await startHarness();
    h.input.write('hello there\n');
    h.input.write('   \n');
    h.input.write('second line\r\n');
    await until(() => h.received.length === 2);

    const [first, second] = h.received;
    expect(first).toMatchObject({
      platform: 'console',
      transport: 'console',
      roomId: 'console',
      isDirect: true,
      sender: { id: CONSOLE_USER_ID, name: 'alice', isBot: false },
      text: 'hello there',
      mentions: [],
      receivedBy: consoleMateUserId('ada'),
    });
    expect(second?.text).toBe('second line');
    expect(first?.id).not.toBe(second?.id);
    expect(typeof first?.timestamp).toBe('number');
    // Piped output carries replies only: no prompt, no echo.
    expect(h.written()).toBe('');
  });

  it('addresses another mate with @name and leaves unknown names in the text', async () => {
    const h = await startHarness({ defaultMate: 'ada' });
    h.input.write('@bob what do you think?\n');
    h.input.write('@carol hi\n');
    await until(() => h.received.length === 2);
    expect(h.received[0]).toMatchObject({
      text: '@bob what do you think?',
      mentions: [consoleMateUserId('bob')],
      receivedBy: consoleMateUserId('bob'),
    });
    expect(h.received[1]).toMatchObject({ mentions: [], receivedBy: consoleMateUserId('ada') });
  });

  it('addresses a mate whose name is not ASCII', async () => {
    const h = await startHarness({ mates: ['ada', 'Zoë'], defaultMate: 'ada' });
    h.input.write('@Zoë hi\n');
    await until(() => h.received.length === 1);
    expect(h.received[0]).toMatchObject({
      mentions: [consoleMateUserId('Zoë')],
      receivedBy: consoleMateUserId('Zoë'),
    });
  });

  it('prints replies as "mate> text", indenting continuation lines', async () => {
    const h = await startHarness();
    const target = { transport: 'console', roomId: 'console', isDirect: true, mate: 'ada' };
    const first = await h.transport.send(target, 'Hi alice.');
    const second = await h.transport.send({ ...target, mate: 'bob' }, 'one\ntwo');
    expect(h.written()).toBe('ada> Hi alice.\nbob> one\n     two\n');
    expect(first.id).not.toBe(second.id);
    const contract: Transport = h.transport;
    expect(contract.capabilities).toMatchObject({ edits: false });
    expect(contract.fetchHistory).toBeUndefined();
    expect(contract.typing).toBeUndefined();
    expect(h.transport.identities()).toEqual([
      { mate: 'ada', userId: 'console:mate:ada', displayName: 'ada' },
      { mate: 'bob', userId: 'console:mate:bob', displayName: 'bob' },
    ]);
  });

  it("writes a reply's text, never its escape sequences or control characters", async () => {
    const h = await startHarness();
    const target = { transport: 'console', roomId: 'console', isDirect: true, mate: 'ada' };
    const reply = [
      'plain \x1b[31mred\x1b[0m\x1b[2J', // colours, clearing the screen
      '\x1b]0;a window title\x07 \x1b]52;c;aGVsbG8=\x1b\\osc52 ', // title, clipboard write
      '\x9b2Jc1 bell\x07 back\bspace ', // 8-bit CSI, bell, backspace
      '\x1bPdcs payload\x1b\\ \x1bc reset\r\n', // a device control string, a terminal reset
      'over\rwrite\ttab\x7f\x00\u0085end', // a carriage return that would overwrite the line, DEL, NUL, NEL
    ].join('');
    await h.transport.send(target, reply);
    expect(h.written()).toBe('ada> plain red osc52 c1 bell backspace   reset\n     overwrite\ttabend\n');
    // Nothing a terminal acts on is left but the line feeds and the tab.
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the test looks for control characters
    expect(h.written()).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
  });

  it('reports the end of input after the handlers of the last lines have run', async () => {
    const order: string[] = [];
    const h = await startHarness({
      onMessage: async (m) => {
        await new Promise((r) => setTimeout(r, 20));
        order.push(m.text);
      },
    });
    h.input.end('last words\n');
    await h.ended;
    order.push('end');
    expect(order).toEqual(['last words', 'end']);
    // Replies can still be printed after the end of input.
    await h.transport.send({ transport: 'console', roomId: 'console', isDirect: true, mate: 'ada' }, 'bye');
    expect(h.written()).toBe('ada> bye\n');
  });

  it('does not report the end of input when stopped, and ignores lines after stop', async () => {
    let ended = false;
    const h = await startHarness();
    void h.ended.then(() => {
      ended = true;
    });
    await h.transport.stop();
    await h.transport.stop();
    h.input.write('too late\n');
    await new Promise((r) => setTimeout(r, 20));
    expect(ended).toBe(false);
    expect(h.received).toEqual([]);
  });

  it('keeps reading when a handler throws', async () => {
    const h = await startHarness({
      onMessage: async (m) => {
        if (m.text === 'boom') throw new Error('boom');
      },
    });
    h.input.write('boom\nstill here\n');
    await until(() => h.received.length === 2);
  });
});

describe('the plugin', () => {
  function pluginContainer(section: unknown, mates = ['ada', 'bob']) {
    const config: ConfabConfig = configSchema.parse({
      transports: [{ name: 'console', plugin: '@confab/transport-console' }],
      backends: [{ name: 'b', plugin: 'x', profiles: { p: {} } }],
      mates: mates.map((name) => ({ name, backend: 'b', profile: 'p' })),
    });
    const child = rootContainer.createChildContainer();
    const instance: PluginInstanceInfo = {
      name: 'console',
      kind: 'transport',
      specifier: '@confab/transport-console',
      configDir: process.cwd(),
    };
    const parsed = consoleTransportPlugin.configSchema.parse(section);
    child.register(Tokens.PluginConfig, { useValue: parsed });
    child.register(Tokens.PluginInstance, { useValue: instance });
    child.register(Tokens.Logger, { useValue: createSilentLogger() });
    child.register(Tokens.Mates, { useValue: config.mates });
    child.register(Tokens.EventBus, { useValue: new EventBus() });
    consoleTransportPlugin.register(child, parsed);
    return child;
  }

  it('is a transport plugin with a strict schema and defaults', () => {
    expect(isPluginDefinition(consoleTransportPlugin)).toBe(true);
    expect(consoleTransportPlugin.kind).toBe('transport');
    const parsed = consoleTransportPlugin.configSchema.parse({});
    expect(parsed.prompt).toBe('> ');
    expect(parsed.user.length).toBeGreaterThan(0);
    const bad = consoleTransportPlugin.configSchema.safeParse({ usr: 'typo' });
    expect(bad.success).toBe(false);
  });

  it('registers one cached transport that knows the configured mates', () => {
    const child = pluginContainer({ user: 'alice', mate: 'bob' });
    const transport = child.resolve<Transport>(Tokens.Transport);
    expect(child.resolve<Transport>(Tokens.Transport)).toBe(transport);
    expect(transport).toBeInstanceOf(ConsoleTransport);
    expect(transport.name).toBe('console');
    expect(transport.platform).toBe('console');
    expect(transport.identities().map((i) => i.mate)).toEqual(['ada', 'bob']);
  });

  it('rejects a default mate that is not configured, as a ConfabError', () => {
    const child = pluginContainer({ mate: 'nobody' });
    let caught: unknown;
    try {
      child.resolve(Tokens.Transport);
    } catch (error) {
      caught = error;
    }
    expect(isConfabError(caught)).toBe(true);
    expect((caught as Error).message).toBe(
      "transport 'console': mate 'nobody' is not configured; expected one of: ada, bob",
    );
  });

  it('reads and writes the registered streams and reports the end of input on the event bus', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    const events = new EventBus();
    const child = pluginContainer({ user: 'alice' });
    child.register(ConsoleTokens.Streams, { useValue: { input, output } });
    child.register(Tokens.EventBus, { useValue: events });
    const stopped: string[] = [];
    events.on('transport.stopped', (e) => stopped.push(e.transport));

    const transport = child.resolve<Transport>(Tokens.Transport);
    const received: ChatMessage[] = [];
    await transport.start((m) => {
      received.push(m);
    });
    started.push(transport);
    input.end('hi\n');
    await until(() => stopped.length === 1);
    expect(received.map((m) => [m.text, m.sender.name, m.receivedBy])).toEqual([
      ['hi', 'alice', 'console:mate:ada'],
    ]);
    expect(stopped).toEqual(['console']);

    let written = '';
    output.on('data', (chunk: Buffer) => {
      written += chunk.toString('utf8');
    });
    await transport.send({ transport: 'console', roomId: 'console', isDirect: true, mate: 'ada' }, 'hello');
    expect(written).toBe('ada> hello\n');
  });
});

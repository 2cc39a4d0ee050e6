// Entry point of a worker process (forked by ProcessWorker): holds one ModelHost and answers
// the parent over IPC. A native crash here kills only this process; the parent replaces it.
import { HostError, type HostApi } from './host-api.js';
import type { ChildMessage, ParentMessage, WireError } from './ipc-protocol.js';
import { ModelHost } from './model-host.js';

const host = new ModelHost();
const running = new Map<number, AbortController>();

function send(message: ChildMessage): void {
  process.send?.(message);
}

// Sequences of one context get their tokens in the same batch step: their deltas go out as one
// IPC message per event-loop turn instead of one per token and conversation.
const pendingDeltas = new Map<number, string>();
let flushScheduled = false;

function flushDeltas(): void {
  flushScheduled = false;
  if (pendingDeltas.size === 0) return;
  send({ type: 'deltas', items: [...pendingDeltas] });
  pendingDeltas.clear();
}

function queueDelta(id: number, text: string): void {
  pendingDeltas.set(id, (pendingDeltas.get(id) ?? '') + text);
  if (!flushScheduled) {
    flushScheduled = true;
    setImmediate(flushDeltas);
  }
}

function wire(error: unknown): WireError {
  if (error instanceof HostError) return { kind: error.kind, message: error.message, code: error.code };
  return { kind: 'internal', message: error instanceof Error ? error.message : String(error) };
}

async function call(id: number, method: keyof HostApi, args: unknown[]): Promise<void> {
  try {
    let value: unknown;
    if (method === 'chat') {
      const controller = new AbortController();
      running.set(id, controller);
      try {
        value = await host.chat(
          args[0] as Parameters<HostApi['chat']>[0],
          (text) => queueDelta(id, text),
          controller.signal,
        );
      } finally {
        running.delete(id);
      }
    } else {
      const fn = host[method] as (...parameters: unknown[]) => Promise<unknown>;
      value = await fn.apply(host, args);
    }
    flushDeltas();
    send({ type: 'result', id, value });
  } catch (error) {
    flushDeltas();
    send({ type: 'error', id, error: wire(error) });
  }
}

process.on('message', (message: ParentMessage) => {
  switch (message.type) {
    case 'load':
      host.load(message.options).then(
        (info) => send({ type: 'loaded', info }),
        (error: unknown) => send({ type: 'load-failed', error: wire(error) }),
      );
      return;
    case 'call':
      void call(message.id, message.method, message.args);
      return;
    case 'cancel':
      running.get(message.id)?.abort();
      return;
    case 'shutdown':
      void host.dispose().finally(() => process.exit(0));
      return;
  }
});

// The parent going away (even by kill -9) closes the IPC channel: never outlive it.
process.on('disconnect', () => process.exit(0));

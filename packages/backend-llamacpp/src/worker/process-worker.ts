import { type ChildProcess, fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  type HostChatOutcome,
  type HostChatRequest,
  HostError,
  type HostMethod,
  type HostOptions,
  type LoadInfo,
  type ResolvedSampling,
} from './host-api.js';
import type { ChildMessage, ParentMessage, WireError } from './ipc-protocol.js';
import { type ModelWorker, WorkerDiedError } from './model-worker.js';

interface PendingCall {
  resolve(value: unknown): void;
  reject(error: Error): void;
  onDelta?: (text: string) => void;
}

/** The compiled entry next to this file; from sources (tests) the .ts one, run through tsx. */
function workerEntry(): { path: string; execArgv: string[] } {
  const js = fileURLToPath(new URL('./worker-entry.js', import.meta.url));
  if (existsSync(js)) return { path: js, execArgv: [] };
  return {
    path: fileURLToPath(new URL('./worker-entry.ts', import.meta.url)),
    execArgv: ['--import', 'tsx'],
  };
}

function toError(error: WireError): HostError {
  return new HostError(error.kind, error.message, error.code);
}

/**
 * A worker in a child process: the model lives there, so a native crash (or `kill -9`) ends
 * only that process. Calls go over IPC; deltas stream back as messages.
 */
export class ProcessWorker implements ModelWorker {
  private child?: ChildProcess;
  private readonly pending = new Map<number, PendingCall>();
  private nextId = 1;
  private stopping = false;
  private deathListener?: (message: string) => void;

  constructor(
    readonly id: string,
    private readonly options: HostOptions,
  ) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  start(): Promise<LoadInfo> {
    const entry = workerEntry();
    const child = fork(entry.path, [], {
      execArgv: entry.execArgv,
      // stdout may carry the chat (console transport): the worker never writes there.
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      serialization: 'json',
    });
    this.child = child;
    return new Promise<LoadInfo>((resolve, reject) => {
      let loaded = false;
      child.on('message', (message: ChildMessage) => {
        if (message.type === 'loaded') {
          loaded = true;
          resolve(message.info);
        } else if (message.type === 'load-failed') {
          reject(toError(message.error));
          child.kill();
        } else {
          this.dispatch(message);
        }
      });
      child.on('exit', (code, signal) => {
        const message = signal
          ? `worker process killed by ${signal}`
          : `worker process exited with code ${code}`;
        if (!loaded) {
          // The kernel's OOM killer sends SIGKILL: while loading, that almost always means the model is too big.
          const tooLarge = signal === 'SIGKILL';
          reject(
            new HostError(
              'unavailable',
              tooLarge ? `${message} while loading (out of memory?)` : message,
              tooLarge ? 'model.too-large' : 'model.load-failed',
            ),
          );
        }
        for (const call of this.pending.values()) call.reject(new WorkerDiedError(message));
        this.pending.clear();
        if (loaded && !this.stopping) this.deathListener?.(message);
      });
      child.on('error', (error) => {
        if (!loaded) reject(new HostError('unavailable', `cannot start worker process: ${error.message}`));
      });
      this.post({ type: 'load', options: this.options });
    });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      if (child.connected) this.post({ type: 'shutdown' });
      else child.kill('SIGKILL');
    });
  }

  onDeath(listener: (message: string) => void): void {
    this.deathListener = listener;
  }

  chat(
    request: HostChatRequest,
    onDelta: (text: string) => void,
    signal: AbortSignal,
  ): Promise<HostChatOutcome> {
    const id = this.nextId++;
    const abort = () => this.post({ type: 'cancel', id });
    signal.addEventListener('abort', abort, { once: true });
    const result = this.request<HostChatOutcome>(id, 'chat', [request], onDelta);
    if (signal.aborted) abort();
    return result.finally(() => signal.removeEventListener('abort', abort));
  }

  openSession(): Promise<number> {
    return this.request(this.nextId++, 'openSession', []);
  }

  addText(session: number, text: string): Promise<void> {
    return this.request(this.nextId++, 'addText', [session, text]);
  }

  generateTokens(session: number, count: number, sampling: ResolvedSampling): Promise<string> {
    return this.request(this.nextId++, 'generateTokens', [session, count, sampling]);
  }

  sessionText(session: number): Promise<string> {
    return this.request(this.nextId++, 'sessionText', [session]);
  }

  resetSession(session: number): Promise<void> {
    return this.request(this.nextId++, 'resetSession', [session]);
  }

  closeSession(session: number): Promise<void> {
    return this.request(this.nextId++, 'closeSession', [session]);
  }

  private request<T>(
    id: number,
    method: HostMethod,
    args: unknown[],
    onDelta?: (text: string) => void,
  ): Promise<T> {
    const child = this.child;
    if (!child?.connected) return Promise.reject(new WorkerDiedError(`worker ${this.id} is not running`));
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject, onDelta });
      this.post({ type: 'call', id, method, args });
    });
  }

  private dispatch(message: ChildMessage): void {
    if (message.type === 'loaded' || message.type === 'load-failed') return;
    if (message.type === 'deltas') {
      for (const [id, text] of message.items) this.pending.get(id)?.onDelta?.(text);
      return;
    }
    const call = this.pending.get(message.id);
    if (!call) return;
    this.pending.delete(message.id);
    if (message.type === 'result') call.resolve(message.value);
    else call.reject(toError(message.error));
  }

  private post(message: ParentMessage): void {
    if (this.child?.connected) this.child.send(message);
  }
}

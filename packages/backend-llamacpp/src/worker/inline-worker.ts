import type {
  HostChatOutcome,
  HostChatRequest,
  HostOptions,
  LoadInfo,
  ResolvedSampling,
} from './host-api.js';
import { ModelHost } from './model-host.js';
import type { ModelWorker } from './model-worker.js';

/** A worker that holds its model in this process (`mode: inline`): no IPC, no crash isolation. */
export class InlineWorker implements ModelWorker {
  readonly pid = undefined;
  private readonly host = new ModelHost();

  constructor(
    readonly id: string,
    private readonly options: HostOptions,
  ) {}

  start(): Promise<LoadInfo> {
    return this.host.load(this.options);
  }

  stop(): Promise<void> {
    return this.host.dispose();
  }

  onDeath(): void {
    // An in-process worker cannot die without the process.
  }

  chat(
    request: HostChatRequest,
    onDelta: (text: string) => void,
    signal: AbortSignal,
  ): Promise<HostChatOutcome> {
    return this.host.chat(request, onDelta, signal);
  }

  openSession(): Promise<number> {
    return this.host.openSession();
  }

  addText(session: number, text: string): Promise<void> {
    return this.host.addText(session, text);
  }

  generateTokens(session: number, count: number, sampling: ResolvedSampling): Promise<string> {
    return this.host.generateTokens(session, count, sampling);
  }

  sessionText(session: number): Promise<string> {
    return this.host.sessionText(session);
  }

  resetSession(session: number): Promise<void> {
    return this.host.resetSession(session);
  }

  closeSession(session: number): Promise<void> {
    return this.host.closeSession(session);
  }
}

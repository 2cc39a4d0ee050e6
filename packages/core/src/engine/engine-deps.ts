import type { CommandRegistry } from '../commands/command-registry.js';
import type { ConfabConfig } from '../config/schema.js';
import type { EventBus } from '../events/event-bus.js';
import type { Logger } from '../logging/logger.js';
import type { BackendRegistry, TransportRegistry } from '../runtime/registries.js';
import type { Scheduler } from '../scheduler/scheduler.js';
import type { EventLedger } from '../store/event-ledger.js';
import type { BotState } from './bot-state.js';

/** What the engine works with; the bot builds it from its container. */
export interface EngineDeps {
  readonly config: ConfabConfig;
  readonly transports: TransportRegistry;
  readonly backends: BackendRegistry;
  readonly scheduler: Scheduler;
  readonly commands: CommandRegistry;
  readonly state: BotState;
  readonly ledger: EventLedger;
  readonly events: EventBus;
  readonly logger: Logger;
}

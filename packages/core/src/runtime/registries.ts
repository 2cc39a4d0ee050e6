import type { Backend } from '../backend/backend.js';
import { ConfabError } from '../errors/confab-error.js';
import type { Transport } from '../transport/transport.js';

/** Named instances of one kind, in config order. */
abstract class Registry<T extends { readonly name: string }> {
  private readonly items = new Map<string, T>();
  protected abstract readonly kind: string;

  add(item: T): void {
    if (this.items.has(item.name)) {
      throw new ConfabError('runtime.duplicate', `two ${this.kind}s are named "${item.name}"`);
    }
    this.items.set(item.name, item);
  }

  get(name: string): T | undefined {
    return this.items.get(name);
  }

  /** The instance, or a clear error naming what exists. */
  require(name: string): T {
    const item = this.items.get(name);
    if (!item) {
      throw new ConfabError(
        'runtime.unknown',
        `no ${this.kind} named "${name}" (have: ${[...this.items.keys()].join(', ')})`,
      );
    }
    return item;
  }

  all(): T[] {
    return [...this.items.values()];
  }
}

/** Every transport of a bot, by name. */
export class TransportRegistry extends Registry<Transport> {
  protected readonly kind = 'transport';
}

/** Every backend of a bot, by name. */
export class BackendRegistry extends Registry<Backend> {
  protected readonly kind = 'backend';
}

import type { ConfabEvent, ConfabEventMap, ConfabEventType } from './events.js';

type Handler<K extends ConfabEventType> = (event: { type: K; at: number } & ConfabEventMap[K]) => void;
type AnyHandler = (event: ConfabEvent) => void;

/**
 * A typed, synchronous event bus. A throwing subscriber is reported to `onError` and never
 * breaks the emitter or other subscribers.
 */
export class EventBus {
  private readonly handlers = new Map<ConfabEventType, Set<Handler<ConfabEventType>>>();
  private readonly anyHandlers = new Set<AnyHandler>();

  constructor(private readonly onError: (error: unknown, type: ConfabEventType) => void = () => {}) {}

  /** Subscribe to one event type; returns the unsubscribe function. */
  on<K extends ConfabEventType>(type: K, handler: Handler<K>): () => void {
    let set = this.handlers.get(type);
    if (!set) {
      set = new Set();
      this.handlers.set(type, set);
    }
    set.add(handler as Handler<ConfabEventType>);
    return () => set.delete(handler as Handler<ConfabEventType>);
  }

  /** Subscribe to every event; returns the unsubscribe function. */
  onAny(handler: AnyHandler): () => void {
    this.anyHandlers.add(handler);
    return () => this.anyHandlers.delete(handler);
  }

  emit<K extends ConfabEventType>(type: K, payload: ConfabEventMap[K]): void {
    const set = this.handlers.get(type);
    if (!set?.size && this.anyHandlers.size === 0) return;
    const event = { ...payload, type, at: Date.now() } as { type: K; at: number } & ConfabEventMap[K];
    if (set) {
      for (const handler of set) this.call(handler as Handler<K>, event, type);
    }
    for (const handler of this.anyHandlers)
      this.call(handler as AnyHandler, event as unknown as ConfabEvent, type);
  }

  private call<E>(handler: (event: E) => void, event: E, type: ConfabEventType): void {
    try {
      handler(event);
    } catch (error) {
      this.onError(error, type);
    }
  }
}

import type * as MatrixSdk from 'matrix-bot-sdk';

/** The part of a `/sync` response that says a room's timeline was cut short. */
interface SyncResponse {
  readonly rooms?: { readonly join?: Record<string, { readonly timeline?: { readonly limited?: boolean } }> };
}

/** A matrix-bot-sdk client that reports rooms whose sync timeline came back `limited`. */
export type GapAwareMatrixClient = MatrixSdk.MatrixClient & {
  /**
   * Called for each joined room whose timeline in a sync was `limited`: the homeserver left
   * events out, so they were never delivered.
   */
  onTimelineGap: (roomId: string) => void;
};

type GapAwareClientClass = new (
  ...args: ConstructorParameters<typeof MatrixSdk.MatrixClient>
) => GapAwareMatrixClient;

const classes = new WeakMap<typeof MatrixSdk, GapAwareClientClass>();

/**
 * The SDK's MatrixClient class extended to see `timeline.limited`, which it does not expose:
 * `processSync` is its protected extension point for the raw sync response.
 */
export function gapAwareClient(sdk: typeof MatrixSdk): GapAwareClientClass {
  let made = classes.get(sdk);
  if (!made) {
    made = class extends sdk.MatrixClient {
      onTimelineGap: (roomId: string) => void = () => {};

      protected override processSync(
        raw: unknown,
        emitFn?: (emitEventType: string, ...payload: unknown[]) => Promise<unknown>,
      ): Promise<unknown> {
        const joined = (raw as SyncResponse | undefined)?.rooms?.join ?? {};
        for (const [roomId, room] of Object.entries(joined)) {
          if (room.timeline?.limited) this.onTimelineGap(roomId);
        }
        return super.processSync(raw, emitFn);
      }
    };
    classes.set(sdk, made);
  }
  return made;
}

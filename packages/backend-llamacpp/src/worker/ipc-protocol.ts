import type { BackendErrorKind } from '@confab/core';
import type { HostMethod, HostOptions, LoadInfo } from './host-api.js';

/** Parent → worker process. */
export type ParentMessage =
  | { readonly type: 'load'; readonly options: HostOptions }
  | { readonly type: 'call'; readonly id: number; readonly method: HostMethod; readonly args: unknown[] }
  | { readonly type: 'cancel'; readonly id: number }
  | { readonly type: 'shutdown' };

/** A failure as it crosses the process boundary. */
export interface WireError {
  readonly kind: BackendErrorKind;
  readonly message: string;
  readonly code?: string;
}

/** Worker process → parent. */
export type ChildMessage =
  | { readonly type: 'loaded'; readonly info: LoadInfo }
  | { readonly type: 'load-failed'; readonly error: WireError }
  /** Text generated since the last message, per call: one message for a whole batch step. */
  | { readonly type: 'deltas'; readonly items: readonly (readonly [id: number, text: string])[] }
  | { readonly type: 'result'; readonly id: number; readonly value: unknown }
  | { readonly type: 'error'; readonly id: number; readonly error: WireError };

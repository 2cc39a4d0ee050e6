import { NODE_DEFAULT_V8_POOL_SIZE, v8PoolSizeFor } from '@confab/core/v8-pool-size';

/** The variable that overrides how many V8 helper threads `confab run` gives the bot. */
export const V8_POOL_SIZE_VARIABLE = 'CONFAB_V8_POOL_SIZE';

/** What the process that `confab run` started with knows about its V8 helper threads. */
export interface V8PoolInput {
  /** `CONFAB_V8_POOL_SIZE`: `auto` (or unset), `node`, or a number of threads. */
  readonly setting: string | undefined;
  /** `NODE_OPTIONS`, where a person may have set `--v8-pool-size` already. */
  readonly nodeOptions: string | undefined;
  /** The Node options this process was started with (`process.execArgv`). */
  readonly execArgv: readonly string[];
  /** CPUs this process may use (`os.availableParallelism()`). */
  readonly cpus: number;
}

/** Whether `confab run` runs the bot in this process or in a child with another pool size. */
export type V8PoolPlan =
  | { readonly kind: 'here' }
  | { readonly kind: 'child'; readonly poolSize: number }
  | { readonly kind: 'invalid'; readonly message: string };

const MAX_POOL_SIZE = 256;
const POOL_SIZE_FLAG = '--v8-pool-size';
const POOL_SIZE_OPTION = /(?:^|\s)--v8-pool-size(?:[=\s]|$)/;

/** The Node option that starts a Node with `poolSize` V8 helper threads. */
export function v8PoolSizeOption(poolSize: number): string {
  return `${POOL_SIZE_FLAG}=${poolSize}`;
}

/** The V8 helper threads that Node `options` (`process.execArgv`) ask for, if they do. */
export function v8PoolSizeIn(options: readonly string[]): number | undefined {
  const option = options.find((o) => o.startsWith(`${POOL_SIZE_FLAG}=`));
  return option === undefined ? undefined : Number(option.slice(POOL_SIZE_FLAG.length + 1));
}

/**
 * Decides where the bot runs. Node fixes its helper threads when it starts, so a bot that wants
 * fewer than Node gave it runs in a child Node process started with `--v8-pool-size`.
 *
 * - A `--v8-pool-size` already given to this Node (command line or `NODE_OPTIONS`) is kept: a
 *   person chose it, or this is that child.
 * - `CONFAB_V8_POOL_SIZE=node` keeps Node's default; a number asks for that many threads.
 * - Otherwise (`auto`) the bot gets {@link v8PoolSizeFor} its CPUs, which differs from Node's
 *   default only on machines of four CPUs or fewer.
 */
export function v8PoolPlan(input: V8PoolInput): V8PoolPlan {
  const setting = (input.setting ?? '').trim();
  let wanted: number | undefined;
  if (setting === '' || setting === 'auto') {
    const recommended = v8PoolSizeFor(input.cpus);
    wanted = recommended === NODE_DEFAULT_V8_POOL_SIZE ? undefined : recommended;
  } else if (setting !== 'node') {
    wanted = Number(setting);
    if (!/^\d+$/.test(setting) || wanted < 1 || wanted > MAX_POOL_SIZE) {
      return {
        kind: 'invalid',
        message: `${V8_POOL_SIZE_VARIABLE} must be auto, node or a whole number of threads from 1 to ${MAX_POOL_SIZE}; found '${setting}'`,
      };
    }
  }
  const alreadySet =
    input.execArgv.some((option) => POOL_SIZE_OPTION.test(option)) ||
    POOL_SIZE_OPTION.test(input.nodeOptions ?? '');
  return wanted === undefined || alreadySet ? { kind: 'here' } : { kind: 'child', poolSize: wanted };
}

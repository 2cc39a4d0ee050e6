import Module, { createRequire } from 'node:module';
import type * as MatrixSdk from 'matrix-bot-sdk';

/** The loaded matrix-bot-sdk, and whether end-to-end encryption can work in this install. */
export interface LoadedMatrixSdk {
  readonly sdk: typeof MatrixSdk;
  /** Whether the native `@matrix-org/matrix-sdk-crypto-nodejs` module loaded. */
  readonly cryptoAvailable: boolean;
  /** Why it did not load, when it did not. */
  readonly cryptoProblem?: string;
}

const CRYPTO_MODULE = '@matrix-org/matrix-sdk-crypto-nodejs';
const require = createRequire(import.meta.url);
let loaded: LoadedMatrixSdk | undefined;

/**
 * Loads matrix-bot-sdk so that unencrypted rooms work without the native crypto module.
 *
 * matrix-bot-sdk 0.7 `require`s `@matrix-org/matrix-sdk-crypto-nodejs` eagerly, and that module
 * throws at load time when its native binary is absent (its postinstall downloads the binary from
 * the internet, which fails offline, and pnpm does not run dependency postinstalls by default).
 * The SDK only touches the module inside its encryption code paths, so when the real module
 * fails to load, a stand-in is put into Node's CommonJS cache under the very path the SDK
 * resolves; any use of it throws an error naming the missing module. When the binary is present
 * the real module is used and nothing is replaced. This works the same for npm, pnpm and yarn
 * installs and needs no override in the consumer's package.json.
 */
export function loadMatrixSdk(): LoadedMatrixSdk {
  if (loaded) return loaded;
  const sdkEntry = require.resolve('matrix-bot-sdk');
  const sdkRequire = createRequire(sdkEntry);
  let cryptoAvailable = true;
  let cryptoProblem: string | undefined;
  let cryptoPath: string | undefined;
  try {
    cryptoPath = sdkRequire.resolve(CRYPTO_MODULE);
    sdkRequire(cryptoPath);
  } catch (error) {
    cryptoAvailable = false;
    cryptoProblem = error instanceof Error ? error.message.split('\n')[0] : String(error);
    if (cryptoPath !== undefined) installStandIn(cryptoPath, cryptoProblem ?? 'not installed');
  }
  const sdk = sdkRequire(sdkEntry) as typeof MatrixSdk;
  loaded = cryptoAvailable
    ? { sdk, cryptoAvailable }
    : { sdk, cryptoAvailable, ...(cryptoProblem ? { cryptoProblem } : {}) };
  return loaded;
}

function installStandIn(path: string, problem: string): void {
  const unavailable = (member: string) => {
    throw new Error(
      `${CRYPTO_MODULE} is not available (${problem}); ${member} needs it. Install it with its native binary to use encrypted rooms.`,
    );
  };
  // Every export is a function that fails when used, so merely importing the SDK works.
  const exports = new Proxy(
    {},
    {
      get: (_target, member) =>
        typeof member === 'string' && member !== 'then' && member !== '__esModule'
          ? new Proxy(function standIn() {}, {
              apply: () => unavailable(member),
              construct: () => unavailable(member),
              get: () => undefined,
            })
          : undefined,
    },
  );
  const standIn = new Module(path);
  standIn.filename = path;
  standIn.loaded = true;
  standIn.exports = exports;
  require.cache[path] = standIn;
}

import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { loadMatrixSdk } from '../src/load-matrix-sdk.js';

describe('loadMatrixSdk', () => {
  it('loads matrix-bot-sdk whether or not the native crypto module works', () => {
    const loaded = loadMatrixSdk();
    expect(typeof loaded.sdk.MatrixClient).toBe('function');
    expect(loadMatrixSdk()).toBe(loaded);
    const sdkRequire = createRequire(createRequire(import.meta.url).resolve('matrix-bot-sdk'));
    const crypto = sdkRequire('@matrix-org/matrix-sdk-crypto-nodejs') as Record<string, unknown>;
    if (loaded.cryptoAvailable) {
      expect(loaded.cryptoProblem).toBeUndefined();
    } else {
      // The stand-in: importing worked, using it says what is missing.
      expect(loaded.cryptoProblem).toBeTruthy();
      const OlmMachine = crypto.OlmMachine as new () => unknown;
      expect(() => new OlmMachine()).toThrow(
        /@matrix-org\/matrix-sdk-crypto-nodejs is not available.*OlmMachine/,
      );
    }
  });
});

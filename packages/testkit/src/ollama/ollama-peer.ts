import { findOllamaBinary, ollamaCurrentLink } from './ollama-server.js';

/**
 * Whether tests that need a real Ollama can run. When the binary is missing it prints which
 * peer is missing and how to get it, and returns `false` so the caller skips
 * (`describe.skipIf(!ollamaPeerAvailable())`); with `CONFAB_REQUIRE_PEERS=1` (CI) a missing
 * peer throws instead, failing the run.
 */
export function ollamaPeerAvailable(): boolean {
  if (findOllamaBinary()) return true;
  const where = process.env.CONFAB_OLLAMA_BIN ?? ollamaCurrentLink();
  const message = `peer missing: Ollama (no binary at ${where}); run scripts/peers/ollama.sh to build it`;
  if (process.env.CONFAB_REQUIRE_PEERS === '1')
    throw new Error(`${message} (required: CONFAB_REQUIRE_PEERS=1)`);
  console.warn(`skipping Ollama tests: ${message}`);
  return false;
}

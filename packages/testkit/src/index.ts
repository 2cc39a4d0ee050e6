export {
  MemoryTransport,
  type MemoryTransportOptions,
  type MemoryMessage,
  type MemoryCall,
  type InjectedMessage,
} from './memory-transport/memory-transport.js';
export { default as memoryTransportPlugin } from './memory-transport/plugin.js';
export {
  ScriptedBackend,
  type ScriptedProfile,
  type ScriptRule,
  type ScriptedCall,
  type ScriptedBackendOptions,
} from './scripted-backend/scripted-backend.js';
export { default as scriptedBackendPlugin } from './scripted-backend/plugin.js';
export { createTestBot, pluginInstance, type TestBot, type TestBotOptions } from './test-bot.js';
export {
  writeTinyGguf,
  type TinyGgufOptions,
  type TinyGguf,
  MODEL_SIZES,
  type ModelSize,
  type ModelShape,
  structuredNext,
  structuredContinuation,
} from './gguf/index.js';
export { benchMachine, writeBenchResult, type BenchMachine, type BenchResult } from './bench/bench-result.js';
export { median } from './bench/median.js';
export { chatRequest, closedPort, collectParts, partsText } from './backend-parts/backend-parts.js';
export {
  startHttpRecorder,
  type HttpRecorder,
  type RecordedHttpRequest,
} from './http-recorder/http-recorder.js';
export { startSynapse, type StartSynapseOptions, type SynapseInfo } from './synapse/synapse-peer.js';

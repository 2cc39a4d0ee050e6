export {
  startOllama,
  findOllamaBinary,
  CHATML_OLLAMA_TEMPLATE,
  type OllamaServer,
  type OllamaServerOptions,
} from './ollama-server.js';
export { ollamaPeerAvailable } from './ollama-peer.js';
export {
  startTcpRecorder,
  type TcpRecorder,
  type RecordedConnection,
  type UpstreamHold,
} from './tcp-recorder.js';

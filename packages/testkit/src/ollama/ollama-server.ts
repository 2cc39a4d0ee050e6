import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { closedPort } from '../backend-parts/backend-parts.js';
import { writeTinyGguf } from '../gguf/tiny-gguf.js';

const run = promisify(execFile);

/**
 * Where the Ollama binary is: `CONFAB_OLLAMA_BIN`, else the link the repository's
 * `scripts/peers/ollama.sh` keeps at `${CONFAB_PEERS_CACHE:-~/.cache/confab}/ollama/current`,
 * else `undefined` (the peer is missing).
 */
export function findOllamaBinary(): string | undefined {
  const fromEnv = process.env.CONFAB_OLLAMA_BIN;
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : undefined;
  const current = ollamaCurrentLink();
  return existsSync(current) ? current : undefined;
}

/** The link `scripts/peers/ollama.sh` keeps to the binary it built. */
export function ollamaCurrentLink(): string {
  const cache = process.env.CONFAB_PEERS_CACHE ?? join(homedir(), '.cache', 'confab');
  return join(cache, 'ollama', 'current');
}

/** Options of {@link startOllama}. */
export interface OllamaServerOptions {
  /** The binary; {@link findOllamaBinary} by default. */
  readonly bin?: string;
  /** `OLLAMA_NUM_PARALLEL`: requests one loaded model serves at once. */
  readonly numParallel?: number;
  /** Port to listen on (127.0.0.1); a free one by default. */
  readonly port?: number;
  /** `OLLAMA_MODELS`; a fresh temporary directory (removed by `stop`) by default. */
  readonly modelsDir?: string;
  /** Extra environment for `ollama serve`. */
  readonly env?: Readonly<Record<string, string>>;
  /** How long to wait for the server to answer, in ms. */
  readonly startTimeoutMs?: number;
}

/** A ChatML template in Ollama's syntax, matching the testkit's tiny GGUF models. */
export const CHATML_OLLAMA_TEMPLATE = `{{- range .Messages }}<|im_start|>{{ .Role }}
{{ .Content }}<|im_end|>
{{ end }}<|im_start|>assistant
`;

/** A running `ollama serve` on a loopback port. */
export interface OllamaServer {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  readonly host: string;
  readonly port: number;
  readonly modelsDir: string;
  /** Whether the server process is running. */
  readonly running: boolean;
  /**
   * Imports a GGUF file as model `name` (`ollama create` with a Modelfile `FROM` it, offline),
   * with a ChatML template and `<|im_end|>` as stop, as the testkit's models need.
   */
  createModel(name: string, ggufPath: string): Promise<void>;
  /** Generates a testkit GGUF of this kind (default shape) and imports it as model `name`. */
  createTinyModel(name: string, kind: 'structured' | 'random'): Promise<void>;
  /** Kills the server and its model runners at once (SIGKILL), as a crash would. */
  kill(): Promise<void>;
  /** Starts the server again on the same port with the same models. */
  restart(): Promise<void>;
  /** Stops the server and removes a models directory it created. */
  stop(): Promise<void>;
}

/** Process groups of the servers still running, killed when this process exits. */
const live = new Set<number>();
/** Models directories made here and not yet removed by `stop`. */
const leftoverDirs = new Set<string>();
let exitHook = false;

/**
 * The servers run in their own process groups (so their model runners die with them), which
 * also means they would outlive a test process that ends without stopping them (a worker
 * killed on a timeout): kill whatever is left when this process exits.
 */
function killLeftoversOnExit(): void {
  if (exitHook) return;
  exitHook = true;
  process.once('exit', () => {
    for (const pid of live) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    for (const dir of leftoverDirs) rmSync(dir, { recursive: true, force: true });
  });
}

/**
 * Starts `ollama serve` on 127.0.0.1 (OLLAMA_HOST) with its own models directory and waits
 * until it answers. The process gets its own process group so that killing it also kills the
 * model runners it spawned.
 */
export async function startOllama(options: OllamaServerOptions = {}): Promise<OllamaServer> {
  const bin = options.bin ?? findOllamaBinary();
  if (!bin) throw new Error('Ollama binary not found: run scripts/peers/ollama.sh or set CONFAB_OLLAMA_BIN');
  const port = options.port ?? (await closedPort());
  const ownModels = options.modelsDir === undefined;
  const modelsDir = options.modelsDir ?? (await mkdtemp(join(tmpdir(), 'confab-ollama-')));
  if (ownModels) leftoverDirs.add(modelsDir);
  const host = `http://127.0.0.1:${port}`;
  const env = {
    ...process.env,
    OLLAMA_HOST: `127.0.0.1:${port}`,
    OLLAMA_MODELS: modelsDir,
    OLLAMA_NUM_PARALLEL: String(options.numParallel ?? 1),
    OLLAMA_NOPRUNE: '1',
    ...options.env,
  };
  const timeout = options.startTimeoutMs ?? 60_000;
  let child: ChildProcess | undefined;
  let log = '';

  const spawnServer = async (): Promise<void> => {
    log = '';
    const proc = spawn(bin, ['serve'], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    killLeftoversOnExit();
    const pid = proc.pid as number;
    live.add(pid);
    proc.once('exit', () => live.delete(pid));
    const keep = (chunk: Buffer) => {
      // The tail is enough to explain a failed start.
      log = (log + chunk.toString()).slice(-8000);
    };
    proc.stdout?.on('data', keep);
    proc.stderr?.on('data', keep);
    const deadline = Date.now() + timeout;
    while (Date.now() < deadline) {
      if (proc.exitCode !== null || proc.signalCode !== null) {
        throw new Error(`ollama serve exited (${proc.exitCode ?? proc.signalCode}):\n${log}`);
      }
      try {
        const response = await fetch(`${host}/api/version`);
        if (response.ok) return;
      } catch {
        // Not listening yet.
      }
      await sleep(100);
    }
    throw new Error(`ollama serve did not answer on ${host} within ${timeout} ms:\n${log}`);
  };

  const killGroup = async (signal: NodeJS.Signals): Promise<void> => {
    const proc = child;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise((resolve) => proc.once('exit', resolve));
    const send = (sig: NodeJS.Signals) => {
      try {
        process.kill(-(proc.pid as number), sig);
      } catch {
        proc.kill(sig);
      }
    };
    send(signal);
    // A server that does not stop on SIGTERM within 5 s is killed, so stopping is bounded.
    const force = signal === 'SIGKILL' ? undefined : setTimeout(() => send('SIGKILL'), 5000);
    await exited;
    clearTimeout(force);
  };

  const createModel = async (name: string, ggufPath: string): Promise<void> => {
    const modelfile = join(
      dirname(ggufPath),
      `${basename(ggufPath)}.${name.replace(/[^A-Za-z0-9]/g, '_')}.Modelfile`,
    );
    await writeFile(
      modelfile,
      `FROM ./${basename(ggufPath)}\nTEMPLATE """${CHATML_OLLAMA_TEMPLATE}"""\nPARAMETER stop "<|im_end|>"\n`,
    );
    await run(bin, ['create', name, '-f', modelfile], { env, cwd: dirname(ggufPath) });
  };

  await spawnServer();
  return {
    host,
    port,
    modelsDir,
    get running() {
      return child !== undefined && child.exitCode === null && child.signalCode === null;
    },
    createModel,
    async createTinyModel(name, kind) {
      // The GGUF lives beside the models directory's import, removed with the server.
      const dir = await mkdtemp(join(tmpdir(), 'confab-ollama-gguf-'));
      leftoverDirs.add(dir);
      try {
        const model = await writeTinyGguf(join(dir, `${kind}.gguf`), { kind });
        await createModel(name, model.path);
      } finally {
        await rm(dir, { recursive: true, force: true });
        leftoverDirs.delete(dir);
      }
    },
    kill: () => killGroup('SIGKILL'),
    restart: async () => {
      await killGroup('SIGTERM');
      await spawnServer();
    },
    async stop() {
      await killGroup('SIGTERM');
      if (ownModels) {
        await rm(modelsDir, { recursive: true, force: true });
        leftoverDirs.delete(modelsDir);
      }
    },
  };
}

import { parseCliArgs, USAGE } from './cli-args.js';
import { checkCommand } from './commands/check.js';
import { discordAddMateCommand } from './commands/discord-add-mate.js';
import { initCommand } from './commands/init.js';
import { matrixRegisterCommand } from './commands/matrix-register.js';
import { runCommand } from './commands/run.js';
import { reportError } from './error-report.js';
import type { StopSignals } from './stop-signals.js';
import { botVersion } from './version.js';

/** What `main` talks to; the real process in `cli.ts`, anything in tests. */
export interface CliEnvironment {
  readonly argv: readonly string[];
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** A line for stdout: results a person or a script asked for. */
  readonly print: (text: string) => void;
  /** A line for stderr: problems. */
  readonly printError: (text: string) => void;
  /** Where requests to stop `confab run` come from. */
  readonly stopSignals: StopSignals;
}

/** Runs one `confab` invocation and resolves with its exit code; never throws. */
export async function main(environment: CliEnvironment): Promise<number> {
  const { argv, cwd, env, print, printError, stopSignals } = environment;
  // --debug is read before parsing so that a parse failure honours it too.
  const debug = argv.includes('--debug');
  try {
    const request = parseCliArgs(argv);
    switch (request.action) {
      case 'help':
        print(USAGE.trimEnd());
        return 0;
      case 'version':
        print(botVersion());
        return 0;
      case 'init':
        return await initCommand({ dir: cwd, config: request.config, force: request.force, print });
      case 'check':
        return await checkCommand({ config: request.config, cwd, env, print });
      case 'discord-add-mate':
        return await discordAddMateCommand({
          mate: request.mate,
          config: request.config,
          cwd,
          env,
          ...(request.envVar !== undefined ? { envVar: request.envVar } : {}),
          ...(request.apiUrl !== undefined ? { apiUrl: request.apiUrl } : {}),
          print,
        });
      case 'matrix-register':
        return await matrixRegisterCommand({ mate: request.mate, config: request.config, cwd, env, print });
      case 'run':
        return await runCommand({
          config: request.config,
          cwd,
          env,
          graceMs: request.graceMs,
          stopSignals,
        });
    }
  } catch (error) {
    return reportError(error, printError, debug);
  }
}

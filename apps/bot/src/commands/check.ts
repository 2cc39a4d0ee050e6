import { Bot, createLogger, formatConfigIssue, secretRedactor } from '@confab/core';
import { hideInReports } from '../error-report.js';
import { loadConfigFile } from '../load-config-file.js';

/** Options of `confab check`. */
export interface CheckOptions {
  readonly config: string;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Where the verdict and warnings go (stdout). */
  readonly print: (line: string) => void;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/**
 * `confab check`: validates the config, imports its plugins and wires a bot without starting
 * it, so nothing connects anywhere. Throws what is wrong; the caller prints it.
 */
export async function checkCommand(options: CheckOptions): Promise<number> {
  const loaded = await loadConfigFile(options.config, options.cwd, options.env);
  const { config } = loaded;
  const secrets = loaded.secrets ?? [];
  hideInReports(secrets);
  const redact = secretRedactor(secrets);
  // Quiet unless asked: check's answer is its verdict, not the wiring's info lines.
  const verbose = config.log.level === 'debug' || config.log.level === 'trace';
  const logger = createLogger({ level: verbose ? config.log.level : 'warn', secrets });
  // Wiring without starting: nothing is opened or connected, so there is nothing to release.
  Bot.create(loaded, { logger });
  options.print(
    `config OK: ${count(config.transports.length, 'transport')}, ${count(config.backends.length, 'backend')}, ${count(config.mates.length, 'mate')}`,
  );
  for (const warning of loaded.warnings) options.print(redact(`warning: ${formatConfigIssue(warning)}`));
  return 0;
}

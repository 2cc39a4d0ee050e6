import type { CommandArgument, CommandDefinition } from './command-plugin.js';

/** A command line split into its name and raw argument text. */
export interface CommandLine {
  readonly name: string;
  readonly rest: string;
}

/** `!name rest...` → name and rest, or undefined when the text is not a command. */
export function parseCommandLine(text: string, prefix: string): CommandLine | undefined {
  const trimmed = text.trimStart();
  if (!trimmed.startsWith(prefix)) return undefined;
  const body = trimmed.slice(prefix.length);
  const match = /^([A-Za-z][\w-]*)(?:\s+([\s\S]*))?$/.exec(body.trimEnd());
  if (!match) return undefined;
  return { name: (match[1] as string).toLowerCase(), rest: (match[2] ?? '').trim() };
}

/** Splits arguments on whitespace; "double" or 'single' quotes group words. */
export function tokenize(rest: string): string[] {
  const tokens: string[] = [];
  for (const match of rest.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g))
    tokens.push(match[1] ?? match[2] ?? match[3] ?? '');
  return tokens;
}

/** The usage line of a command: `!save <name>` / `!mate [name]`. */
export function usageLine(command: Pick<CommandDefinition, 'name' | 'args'>, prefix: string): string {
  const args = command.args.map((a) => {
    const label = a.rest ? `${a.name}...` : a.name;
    return a.required ? `<${label}>` : `[${label}]`;
  });
  return [`${prefix}${command.name}`, ...args].join(' ');
}

/** Parsed arguments, or the reason they do not fit the command. */
export type ArgumentResult =
  | { readonly ok: true; readonly args: Record<string, string | undefined> }
  | { readonly ok: false; readonly problem: string };

/** Matches the raw argument text against a command's declared arguments. */
export function bindArguments(command: Pick<CommandDefinition, 'args'>, rest: string): ArgumentResult {
  const tokens = tokenize(rest);
  const args: Record<string, string | undefined> = {};
  for (let i = 0; i < command.args.length; i++) {
    const spec = command.args[i] as CommandArgument;
    if (spec.rest) {
      const value = tokens.slice(i).join(' ');
      if (spec.required && !value) return { ok: false, problem: `missing ${spec.name}` };
      args[spec.name] = value || undefined;
      return { ok: true, args };
    }
    const value = tokens[i];
    if (value === undefined && spec.required) return { ok: false, problem: `missing ${spec.name}` };
    args[spec.name] = value;
  }
  if (tokens.length > command.args.length) return { ok: false, problem: 'too many arguments' };
  return { ok: true, args };
}

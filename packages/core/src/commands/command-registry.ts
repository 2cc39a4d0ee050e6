import { closestMatch } from '../config/suggest.js';
import { ConfabError } from '../errors/confab-error.js';
import type { CommandDefinition, CommandPlugin } from './command-plugin.js';
import type { EngineServices } from './engine-services.js';

/** Every command a bot knows, by name and alias. Later plugins cannot shadow earlier names. */
export class CommandRegistry {
  private readonly byName = new Map<string, CommandDefinition<EngineServices>>();
  private readonly ordered: CommandDefinition<EngineServices>[] = [];

  add(plugin: CommandPlugin<EngineServices>): void {
    for (const command of plugin.commands()) {
      for (const name of [command.name, ...(command.aliases ?? [])]) {
        const key = name.toLowerCase();
        if (this.byName.has(key)) {
          throw new ConfabError(
            'commands.duplicate',
            `command plugin "${plugin.name}" defines "${name}", which another plugin already defines`,
          );
        }
        this.byName.set(key, command);
      }
      this.ordered.push(command);
    }
  }

  find(name: string): CommandDefinition<EngineServices> | undefined {
    return this.byName.get(name.toLowerCase());
  }

  /** The closest known command name, for "did you mean". */
  suggest(name: string): string | undefined {
    return closestMatch(name, this.byName.keys());
  }

  all(): readonly CommandDefinition<EngineServices>[] {
    return this.ordered;
  }
}

import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { PluginWarning } from '@confab/core';
import type { LlamaCppConfig } from './config.js';
import { isModelUri, localModelPath } from './model-source.js';

/**
 * Warnings `confab check` prints for a config that parses but will not do what it says: options
 * llama.cpp ignores in that combination, a GPU the platform cannot have, a missing model file.
 */
export function checkConfig(
  config: LlamaCppConfig,
  configDir: string,
  platform: NodeJS.Platform = process.platform,
  cores = availableParallelism(),
): PluginWarning[] {
  const warnings: PluginWarning[] = [];
  for (const [name, profile] of Object.entries(config.profiles)) {
    const at = (key: string) => `profiles.${name}.${key}`;
    const { sampling } = profile;
    if (sampling.seed !== undefined && !sampling.temperature) {
      warnings.push({
        path: at('sampling.seed'),
        message:
          'has no effect with greedy sampling (temperature 0 or unset); set sampling.temperature above 0',
      });
    }
    if (
      (sampling.topK !== undefined || sampling.topP !== undefined || sampling.minP !== undefined) &&
      !sampling.temperature
    ) {
      warnings.push({
        path: at('sampling'),
        message: 'topK/topP/minP have no effect with greedy sampling (temperature 0 or unset)',
      });
    }
    if (profile.gpu === 'metal' && platform !== 'darwin') {
      warnings.push({
        path: at('gpu'),
        message: `metal is only available on macOS, not ${platform}; use auto`,
      });
    }
    if ((profile.gpu === 'cuda' || profile.gpu === 'vulkan') && platform === 'darwin') {
      warnings.push({
        path: at('gpu'),
        message: `${profile.gpu} is not available on macOS; use auto or metal`,
      });
    }
    if (profile.gpu === 'off' && typeof profile.gpuLayers === 'number' && profile.gpuLayers > 0) {
      warnings.push({ path: at('gpuLayers'), message: 'is ignored with gpu: off' });
    }
    if (profile.threads !== undefined && profile.threads * profile.workers > cores) {
      warnings.push({
        path: at('threads'),
        message: `${profile.threads} threads x ${profile.workers} workers exceed this machine's ${cores} cores, which slows generation down a lot; leave threads unset to choose from the cores`,
      });
    }
    if (!isModelUri(profile.model) && !existsSync(localModelPath(profile.model, configDir))) {
      warnings.push({
        path: at('model'),
        message: `file ${localModelPath(profile.model, configDir)} not found; the bot will not start until it exists`,
      });
    }
  }
  return warnings;
}

import { open, stat } from 'node:fs/promises';
import { HostError } from './host-api.js';

/**
 * Checks that a model file exists and is a GGUF before anything native touches it, so the
 * common mistakes get a precise message instead of a llama.cpp log line.
 */
export async function checkModelFile(path: string): Promise<void> {
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new HostError('unavailable', `${path} is not a file`, 'model.not-found');
    size = info.size;
  } catch (error) {
    if (error instanceof HostError) throw error;
    throw new HostError('unavailable', `model file ${path} not found`, 'model.not-found');
  }
  const file = await open(path, 'r');
  try {
    const magic = Buffer.alloc(4);
    await file.read(magic, 0, 4, 0);
    if (size < 4 || magic.toString('latin1') !== 'GGUF') {
      throw new HostError('unavailable', `${path} is not a GGUF model file`, 'model.not-gguf');
    }
  } finally {
    await file.close();
  }
}

import type { Logger } from '../logging/logger.js';
import type { OutboundTarget, SentMessage, Transport } from '../transport/transport.js';

/** Sends a short notice (a command's answer, a failure); a failed send is logged, not thrown. */
export async function sendNotice(
  transport: Transport,
  target: OutboundTarget,
  text: string,
  log: Logger,
): Promise<SentMessage | undefined> {
  try {
    return await transport.send(target, text);
  } catch (error) {
    log.warn({ err: error }, 'could not send a notice');
    return undefined;
  }
}

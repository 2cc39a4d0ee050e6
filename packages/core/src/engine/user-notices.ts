import type { BackendErrorKind } from '../backend/backend.js';
import type { JobRejection } from '../scheduler/scheduler.js';

/** The one short line a chat user sees when a reply fails; the log has the details. */
export function failureNotice(kind: BackendErrorKind): string {
  switch (kind) {
    case 'unavailable':
      return '⚠️ The model server is unavailable right now. Try again in a moment.';
    case 'overloaded':
      return '⚠️ The model is overloaded right now. Try again in a moment.';
    case 'timeout':
      return '⚠️ That took too long, so I stopped. Try again, perhaps with a shorter question.';
    case 'bad-request':
      return '⚠️ The model could not take that request (it may be too long).';
    case 'auth':
      return "⚠️ I can't reach my model service: it refused my access key. Please tell the bot's operator.";
    case 'crashed':
      return '⚠️ The model stopped while answering. Try again.';
    default:
      return '⚠️ Something went wrong while answering. The operator can find the details in the log.';
  }
}

/** The line for a message whose job was still waiting when the bot stopped. */
export function restartNotice(): string {
  return "🔄 I'm restarting and couldn't get to this. Please send it again in a minute.";
}

/** The "busy" line for a job the scheduler refused. */
export function rejectionNotice(rejection: JobRejection): string {
  switch (rejection.reason) {
    case 'queue-full':
      return `⏳ I'm busy: ${rejection.waiting} requests are already waiting (limit ${rejection.limit}). Please try again shortly.`;
    case 'user-limit':
      return `⏳ You already have ${rejection.waiting} requests in progress (limit ${rejection.limit}). Wait for them to finish, or use !stop.`;
    case 'stopping':
      return '⏳ I am shutting down and cannot take new requests.';
    default:
      return '⚠️ This mate is not set up correctly. The operator can find the details in the log.';
  }
}

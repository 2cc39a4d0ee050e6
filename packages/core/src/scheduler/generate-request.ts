import type { GenerateRequest } from '../backend/backend.js';

const controllerKey = Symbol('confab.jobController');

interface WithController {
  readonly [controllerKey]: AbortController;
}

// One accessor shared by every request: objects given the same accessor share their shape, so a
// request costs what plain data costs. An accessor written in an object literal is a new closure
// per request, which V8 cannot share.
const signalProperty: PropertyDescriptor = {
  get(this: WithController): AbortSignal {
    return this[controllerKey].signal;
  },
  enumerable: true,
};

/**
 * The request a backend's `generate` receives, whose `signal` is the job controller's signal,
 * read only when the backend reads it: Node creates a controller's signal on first read, and a
 * signal costs far more than the controller (it outlives young-generation garbage collection),
 * while most jobs end without anyone needing it. A spread copy of the request carries the signal.
 */
export function generateRequest(
  fields: Omit<GenerateRequest, 'signal'>,
  controller: AbortController,
): GenerateRequest {
  const request = {
    profile: fields.profile,
    system: fields.system,
    messages: fields.messages,
    sampling: fields.sampling,
    [controllerKey]: controller,
  };
  Object.defineProperty(request, 'signal', signalProperty);
  return request as unknown as GenerateRequest;
}

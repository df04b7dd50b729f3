import { RuntimeError } from '../../runtime/errors.js';

/** The HTTP kernel is set up wrongly: a controller without routes, a route to a missing method, a duplicate route. */
export class HttpKernelConfigError extends RuntimeError {
  constructor(message: string) {
    super('ERR_HTTP_KERNEL_CONFIG', message);
  }
}

/** A controller method returned something that is not a Fetch `Response`. */
export class InvalidControllerResultError extends RuntimeError {
  constructor(controller: string, method: string, got: unknown) {
    super('ERR_HTTP_CONTROLLER_RESULT', `${controller}.${method} returned ${got === null ? 'null' : typeof got}, expected a Response`);
  }
}

import { AmbitError } from '@ambit/errors';

/** An upstream connect was abandoned (the engine's connect timeout, or the waypoint draining). */
export class UpstreamClosedError extends AmbitError {
  constructor() {
    super('AMBIT_ERR_WAYPOINT_UPSTREAM_ABORTED', 'the upstream connection was abandoned before it opened', { hint: 'the route\'s connect timeout passed, or the waypoint is shutting down' });
  }
}

import { AmbitError } from '@ambit/errors';

/** An upstream connect was abandoned (the engine's connect timeout, or the proxy draining). */
export class UpstreamClosedError extends AmbitError {
  constructor() {
    super('AMBIT_ERR_PROXY_UPSTREAM_ABORTED', 'the upstream connection was abandoned before it opened', { hint: 'the route\'s connect timeout passed, or the proxy is shutting down' });
  }
}

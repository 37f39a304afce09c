import { InvalidResourceError as StateInvalidResourceError, UpdateRejectedError as StateUpdateRejectedError, type StateErrors } from '@ambit/workload-state';

/** One field of one xDS resource (`Address`, `RouteTable`, `Cluster`, `Listener`) the proxy cannot apply. */
export class InvalidResourceError extends StateInvalidResourceError {
  constructor(type: string, resource: string, field: string, problem: string) {
    super('AMBIT_ERR_PROXY_INVALID_RESOURCE', type, resource, field, problem);
  }
}

/**
 * An xDS response the proxy rejected (NACKed) as a whole: none of it was applied and the
 * state is the last good one. The message is what the control plane sees as the NACK's
 * `error_detail`.
 */
export class UpdateRejectedError extends StateUpdateRejectedError {
  constructor(problems: readonly Error[]) {
    super('AMBIT_ERR_PROXY_UPDATE_REJECTED', problems, 'the proxy keeps its last good configuration');
  }
}

/** What the shared state raises on the proxy's behalf. */
export const PROXY_STATE_ERRORS: StateErrors = {
  invalidResource: (type, resource, field, problem) => new InvalidResourceError(type, resource, field, problem),
  updateRejected: (problems) => new UpdateRejectedError(problems),
};

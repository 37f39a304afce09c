import { InvalidResourceError as StateInvalidResourceError, UpdateRejectedError as StateUpdateRejectedError, type StateErrors } from '@ambit/workload-state';

/** One field of one xDS resource (`Address`, `RouteTable`, `Cluster`) the waypoint cannot apply. */
export class InvalidResourceError extends StateInvalidResourceError {
  constructor(type: string, resource: string, field: string, problem: string) {
    super('AMBIT_ERR_WAYPOINT_INVALID_RESOURCE', type, resource, field, problem);
  }
}

/**
 * An xDS response the waypoint rejected (NACKed) as a whole: none of it was applied and
 * the state is the last good one. The message is what the control plane sees as the
 * NACK's `error_detail`.
 */
export class UpdateRejectedError extends StateUpdateRejectedError {
  constructor(problems: readonly Error[]) {
    super('AMBIT_ERR_WAYPOINT_UPDATE_REJECTED', problems, 'the waypoint keeps its last good configuration');
  }
}

/** What the shared state raises on the waypoint's behalf. */
export const WAYPOINT_STATE_ERRORS: StateErrors = {
  invalidResource: (type, resource, field, problem) => new InvalidResourceError(type, resource, field, problem),
  updateRejected: (problems) => new UpdateRejectedError(problems),
};

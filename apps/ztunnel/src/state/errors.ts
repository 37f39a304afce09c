import { InvalidResourceError as StateInvalidResourceError, UpdateRejectedError as StateUpdateRejectedError, type StateErrors } from '@ambit/workload-state';

/** One field of one xDS resource that ztunnel cannot apply. */
export class InvalidResourceError extends StateInvalidResourceError {
  constructor(type: string, resource: string, field: string, problem: string) {
    super('AMBIT_ERR_ZTUNNEL_INVALID_RESOURCE', type, resource, field, problem);
  }
}

/**
 * An xDS response ztunnel rejected (NACKed) as a whole: none of it was applied and the
 * state is the last good one. The message lists the invalid resources and fields; it
 * is what the control plane sees as the NACK's `error_detail`.
 */
export class UpdateRejectedError extends StateUpdateRejectedError {
  constructor(problems: readonly Error[]) {
    super('AMBIT_ERR_ZTUNNEL_UPDATE_REJECTED', problems, 'ztunnel keeps its last good state');
  }
}

/** What the shared state raises on ztunnel's behalf. */
export const ZTUNNEL_STATE_ERRORS: StateErrors = {
  invalidResource: (type, resource, field, problem) => new InvalidResourceError(type, resource, field, problem),
  updateRejected: (problems) => new UpdateRejectedError(problems),
};

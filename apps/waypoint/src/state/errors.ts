import { AmbitError } from '@ambit/errors';

/** One field of one xDS resource the waypoint cannot apply. */
export class InvalidResourceError extends AmbitError {
  /** `Address`, `RouteTable` or `Cluster`. */
  readonly type: string;
  /** Its xDS name. */
  readonly resource: string;
  /** The field path inside the resource, e.g. `workload.addresses[1]`. */
  readonly field: string;

  constructor(type: string, resource: string, field: string, problem: string) {
    super('AMBIT_ERR_WAYPOINT_INVALID_RESOURCE', `${type} ${JSON.stringify(resource)} ${field}: ${problem}`);
    this.type = type;
    this.resource = resource;
    this.field = field;
  }
}

/** Most problems spelled out in one rejection; the NACK's error_detail is bounded anyway. */
const MAX_LISTED = 10;

/**
 * An xDS response the waypoint rejected (NACKed) as a whole: none of it was applied and
 * the state is the last good one. The message is what the control plane sees as the
 * NACK's `error_detail`.
 */
export class UpdateRejectedError extends AmbitError {
  readonly problems: readonly Error[];

  constructor(problems: readonly Error[]) {
    const listed = problems.slice(0, MAX_LISTED).map((p) => p.message);
    const more = problems.length > MAX_LISTED ? `; and ${problems.length - MAX_LISTED} more` : '';
    super('AMBIT_ERR_WAYPOINT_UPDATE_REJECTED', `${problems.length === 1 ? listed[0] : `${problems.length} invalid resources: ${listed.join('; ')}`}${more}`, {
      hint: 'nothing of this response was applied; the waypoint keeps its last good configuration (a control plane bug or version skew: please report it)',
    });
    this.problems = problems;
  }
}

import { AmbitError } from '@ambit/errors';

/**
 * One field of one xDS resource a proxy cannot apply. Each proxy subclasses it with its
 * own stable code (`AMBIT_ERR_ZTUNNEL_INVALID_RESOURCE`, `AMBIT_ERR_WAYPOINT_…`), so
 * that a user reading the code knows which proxy refused what.
 */
export abstract class InvalidResourceError extends AmbitError {
  /** The resource's type (`Address`, `Authorization`, `RouteTable`). */
  readonly type: string;
  /** Its xDS name (a workload uid, `namespace/hostname`, `namespace/name`). */
  readonly resource: string;
  /** The field path inside the resource, e.g. `workload.addresses[1]`. */
  readonly field: string;

  protected constructor(code: string, type: string, resource: string, field: string, problem: string) {
    super(code, `${type} ${JSON.stringify(resource)} ${field}: ${problem}`);
    this.type = type;
    this.resource = resource;
    this.field = field;
  }
}

/** Most problems spelled out in one rejection; the NACK's error_detail is bounded anyway. */
const MAX_LISTED = 10;

/**
 * An xDS response a proxy rejected (NACKed) as a whole: none of it was applied and the
 * state is the last good one. The message lists the invalid resources and fields; it is
 * what the control plane sees as the NACK's `error_detail`. Subclassed per proxy, as
 * InvalidResourceError is.
 */
export abstract class UpdateRejectedError extends AmbitError {
  readonly problems: readonly Error[];

  /** `keeps` says what stays in force, e.g. "ztunnel keeps its last good state". */
  protected constructor(code: string, problems: readonly Error[], keeps: string) {
    const listed = problems.slice(0, MAX_LISTED).map((p) => p.message);
    const more = problems.length > MAX_LISTED ? `; and ${problems.length - MAX_LISTED} more` : '';
    super(code, `${problems.length === 1 ? listed[0] : `${problems.length} invalid resources: ${listed.join('; ')}`}${more}`, {
      hint: `nothing of this response was applied; ${keeps} (a control plane bug or version skew: please report it)`,
    });
    this.problems = problems;
  }
}

/** How a proxy names what it cannot apply: its own subclasses of the two errors above. */
export interface StateErrors {
  invalidResource(type: string, resource: string, field: string, problem: string): InvalidResourceError;
  updateRejected(problems: readonly Error[]): UpdateRejectedError;
}

/** Converts every item, collecting every invalid resource rather than stopping at the first; throws the proxy's UpdateRejectedError if any. */
export function validateAll<I, O>(items: readonly I[], convert: (item: I) => O, errors: StateErrors): O[] {
  const out: O[] = [];
  const problems: InvalidResourceError[] = [];
  for (const item of items) {
    try {
      out.push(convert(item));
    } catch (error) {
      if (!(error instanceof InvalidResourceError)) throw error;
      problems.push(error);
    }
  }
  if (problems.length > 0) throw errors.updateRejected(problems);
  return out;
}

import { AmbitError } from '@ambit/errors';

/**
 * A RouteTable or Cluster the engine cannot execute: a regex RE2 rejects, a weight
 * total that is not 100, a route without an action. `L7Engine.update` throws it before
 * anything changes, so that the app NACKs the batch and keeps its last good config.
 */
export class InvalidL7ResourceError extends AmbitError {
  /** `RouteTable <name>` or `Cluster <name>`. */
  readonly resource: string;
  /** The path of the bad field, e.g. `virtualHosts[0].routes[2].matches[0].uri.regex`. */
  readonly field: string;

  constructor(resource: string, field: string, reason: string) {
    super('AMBIT_ERR_L7_INVALID_RESOURCE', `${resource} ${field}: ${reason}`, {
      hint: 'the control plane sent a resource this proxy cannot execute; the previous configuration stays in force (is the control plane a newer version?)',
    });
    this.resource = resource;
    this.field = field;
  }
}

/** An L7Engine option out of range, named with its value. */
export class L7OptionError extends AmbitError {
  constructor(option: string, value: unknown, reason: string) {
    super('AMBIT_ERR_L7_OPTION', `${option} = ${JSON.stringify(value) ?? String(value)} is invalid: ${reason}`);
  }
}

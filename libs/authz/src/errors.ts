import { AmbitError } from '@ambit/errors';

/**
 * An Authorization resource the engine cannot compile: a CIDR of the wrong size, a port
 * out of range, an action or scope it does not know, a string match without a type.
 * The policy store keeps such a policy in a fail-closed form (docs/authorization.md
 * #fail-closed) and reports this error so that the proxy can NACK the resource.
 */
export class InvalidPolicyError extends AmbitError {
  /** `namespace/name` (the xDS resource name). */
  readonly policy: string;
  /** The path of the bad field, e.g. `groups[0].rules[1].matches[0].sourceIps[2].address`. */
  readonly field: string;

  constructor(policy: string, field: string, reason: string) {
    super('AMBIT_ERR_AUTHZ_INVALID_POLICY', `authorization ${policy} ${field}: ${reason}`, {
      hint: 'the control plane sent a resource this proxy cannot enforce; it is enforced fail-closed until a valid version arrives (is the control plane a newer version?)',
    });
    this.policy = policy;
    this.field = field;
  }
}

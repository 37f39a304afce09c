import { AmbitError } from '@ambit/errors';
import type { InvalidPolicyError } from '@ambit/authz';

/**
 * An Authorization response with resources the proxy cannot compile (NACKed). Unlike
 * the other types, the rest of the response is applied, and each bad policy is enforced
 * in a fail-closed form (docs/authorization.md#fail-closed): an older version might
 * allow what the new one was written to forbid.
 */
export class AuthorizationRejectedError extends AmbitError {
  readonly problems: readonly InvalidPolicyError[];

  constructor(problems: readonly InvalidPolicyError[]) {
    super('AMBIT_ERR_PROXY_AUTHORIZATION_REJECTED', `${problems.length} authorization resource(s) rejected: ${problems.map((p) => p.message).join('; ')}`, {
      hint: 'the rejected policies are enforced fail-closed until a valid version arrives (is the control plane a newer version?)',
    });
    this.problems = problems;
  }
}

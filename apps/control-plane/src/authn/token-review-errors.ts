import { AmbitError } from '@ambit/errors';
import { GrpcStatus } from '@ambit/xds';

/**
 * The API server could not review a token: unreachable, too slow, or it answered with an
 * error. The caller is not refused for good: it gets UNAVAILABLE and retries. The message
 * never contains the token.
 */
export class TokenReviewUnavailableError extends AmbitError {
  readonly grpcCode = GrpcStatus.UNAVAILABLE;

  constructor(reason: string, cause?: unknown) {
    super('AMBIT_ERR_CP_TOKEN_REVIEW_UNAVAILABLE', `the service-account token could not be reviewed: ${reason}`, {
      hint: 'is the API server reachable, and may the control plane create tokenreviews (see the ClusterRole in docs/control-plane.md)?',
      cause,
    });
  }
}

import { AmbitError } from '@ambit/errors';
import { describe, expect, it } from 'vitest';
import { TokenReviewUnavailableError } from '../../authn/token-review-errors.js';
import { KubeApiError, KubeApiUnreachableError, KubeconfigError, KubernetesProviderOptionError, KubernetesSyncError } from './errors.js';

// Every error class of the Kubernetes provider and TokenReview: stable code, own name, a message that says what, a hint where one helps.
describe.each([
  [new KubeconfigError('/etc/kube does not exist'), 'AMBIT_ERR_CP_KUBECONFIG', /^cannot use a Kubernetes config: \/etc\/kube does not exist$/, /--kubeconfig \(AMBIT_KUBECONFIG\)/],
  [new KubeApiError('GET', '/api/v1/pods', 403, 'Forbidden', 'pods is forbidden'), 'AMBIT_ERR_CP_KUBE_API', /^GET \/api\/v1\/pods: the API server answered 403 Forbidden: pods is forbidden$/, /ClusterRole/],
  [new KubeApiError('GET', '/api/v1/pods', 500, undefined, undefined), 'AMBIT_ERR_CP_KUBE_API', /^GET \/api\/v1\/pods: the API server answered 500$/, undefined],
  [new KubeApiUnreachableError('POST', '/apis/x', 'connect ECONNREFUSED'), 'AMBIT_ERR_CP_KUBE_API_UNREACHABLE', /^POST \/apis\/x: connect ECONNREFUSED$/, /reachable/],
  [new KubernetesSyncError(25_000, ['pods: no answer yet']), 'AMBIT_ERR_CP_KUBE_SYNC', /within 25000 ms: pods: no answer yet/, /partial view/],
  [new KubernetesProviderOptionError('pageSize', 0, 'an integer of at least 1'), 'AMBIT_ERR_CP_KUBE_PROVIDER_OPTION', /pageSize = 0 is invalid/, undefined],
  [new TokenReviewUnavailableError('the request was aborted or timed out'), 'AMBIT_ERR_CP_TOKEN_REVIEW_UNAVAILABLE', /could not be reviewed: the request was aborted/, /tokenreviews/],
] as const)('%o', (error, code, message, hint) => {
  it('has its code, name, message and hint', () => {
    expect(error).toBeInstanceOf(AmbitError);
    expect(error.code).toBe(code);
    expect(error.name).toBe(error.constructor.name);
    expect(error.message).toMatch(message);
    if (hint === undefined) expect(error.hint).toBeUndefined();
    else expect(error.hint).toMatch(hint);
  });
});

import { AmbitError } from '@ambit/errors';
import { envOf, flagOf, SETTING } from '../../config/names.js';

/** No usable kubeconfig: the file named is missing or invalid, or none was found. */
export class KubeconfigError extends AmbitError {
  constructor(reason: string, cause?: unknown) {
    super('AMBIT_ERR_CP_KUBECONFIG', `cannot use a Kubernetes config: ${reason}`, {
      hint: `run in a pod with a service account, set $KUBECONFIG, or point ${flagOf(SETTING.kubeconfig)} (${envOf(SETTING.kubeconfig)}) at a kubeconfig file`,
      cause,
    });
  }
}

/** The API server answered a request with an error status. */
export class KubeApiError extends AmbitError {
  /** The HTTP status (404: not served, 410: too old a resourceVersion, 403: RBAC, …). */
  readonly status: number;
  /** The `reason` of the Status object the server sent, if any (`NotFound`, `Forbidden`, `Expired`). */
  readonly reason: string | undefined;

  constructor(method: string, path: string, status: number, reason: string | undefined, message: string | undefined) {
    super('AMBIT_ERR_CP_KUBE_API', `${method} ${path}: the API server answered ${status}${reason === undefined ? '' : ` ${reason}`}${message === undefined ? '' : `: ${message}`}`, {
      hint: status === 401 || status === 403 ? 'check the credentials in the kubeconfig and the ClusterRole in docs/control-plane.md' : undefined,
    });
    this.status = status;
    this.reason = reason;
  }
}

/** The API server could not be reached, did not answer in time, or sent what cannot be read. */
export class KubeApiUnreachableError extends AmbitError {
  constructor(method: string, path: string, reason: string, cause?: unknown) {
    super('AMBIT_ERR_CP_KUBE_API_UNREACHABLE', `${method} ${path}: ${reason}`, { hint: 'is the API server in the kubeconfig reachable from here?', cause });
  }
}

/** At start, some kinds could not be listed in time; the provider does not serve a partial mesh. */
export class KubernetesSyncError extends AmbitError {
  /** `<plural>.<group>` of each kind not listed, with its last error. */
  readonly pending: readonly string[];

  constructor(timeoutMs: number, pending: readonly string[]) {
    super('AMBIT_ERR_CP_KUBE_SYNC', `could not list every watched kind within ${timeoutMs} ms: ${pending.join('; ')}`, {
      hint: 'a partial view of the cluster could open traffic a policy closes, so the control plane does not start on one; fix what the errors say (RBAC, reachability) and start again',
    });
    this.pending = pending;
  }
}

/** The Kubernetes provider was given an option it cannot work with (a mistake of the caller). */
export class KubernetesProviderOptionError extends AmbitError {
  readonly option: string;

  constructor(option: string, value: unknown, expected: string) {
    super('AMBIT_ERR_CP_KUBE_PROVIDER_OPTION', `Kubernetes provider option ${option} = ${JSON.stringify(value)} is invalid: expected ${expected}`);
    this.option = option;
  }
}

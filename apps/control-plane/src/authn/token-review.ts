import { SpiffeId } from '@ambit/crypto';
import type { KubeConfig } from '@kubernetes/client-node';
import { KubeApiClient, KubeApiError, KubeApiUnreachableError, KubeconfigError } from '../provider/kubernetes/index.js';
import type { Caller, CallerAuthenticator } from './caller.js';
import { UnauthenticatedCallerError } from './errors.js';
import { TokenReviewUnavailableError } from './token-review-errors.js';

export interface TokenReviewAuthenticatorOptions {
  /**
   * Reaches the API server that reviews tokens; a function is called at the first
   * review, so that a control plane is built before its kubeconfig is read (a bad one
   * then fails start-up through the provider, with the provider's error).
   */
  readonly kubeConfig: KubeConfig | (() => KubeConfig);
  readonly trustDomain: string;
  /** Istio's root namespace: its `ztunnel` service account is the node agents'. */
  readonly rootNamespace: string;
  /** Audiences a token must be for (default `istio-ca`, what ztunnel and Istio's CA use). */
  readonly audiences?: readonly string[];
  /** Service accounts (`namespace/name`) whose tokens act for a node (default `<rootNamespace>/ztunnel`, Istio's CA_TRUSTED_NODE_ACCOUNTS). */
  readonly nodeAccounts?: readonly string[];
  /** Longest wait for the API server's answer (default 5 s). */
  readonly timeoutMs?: number;
}

/** The `user.extra` key Kubernetes (1.30+) sets to the node of the pod a token is bound to. */
export const NODE_NAME_EXTRA = 'authentication.kubernetes.io/node-name';
/** Istio's default audience for tokens sent to its CA. */
export const DEFAULT_TOKEN_AUDIENCES: readonly string[] = ['istio-ca'];
const MAX_REVIEW_BYTES = 1024 * 1024;
const SERVICE_ACCOUNT_USER = /^system:serviceaccount:([^:]+):([^:]+)$/;

interface TokenReviewStatus {
  readonly authenticated?: boolean;
  readonly error?: string;
  readonly audiences?: readonly string[];
  readonly user?: { readonly username?: string; readonly groups?: readonly string[]; readonly extra?: Readonly<Record<string, readonly string[]>> };
}

/**
 * Kubernetes mode's caller authentication: the bearer token is a service-account token,
 * reviewed by the API server (POST tokenreviews), as Istio's CA does. The node agents'
 * account (`<root namespace>/ztunnel`) is a node caller for the node its token is bound to;
 * any other account is the workload `spiffe://<trust domain>/ns/<ns>/sa/<sa>`.
 */
export class TokenReviewAuthenticator implements CallerAuthenticator {
  readonly #kubeConfig: KubeConfig | (() => KubeConfig);
  #api: KubeApiClient | undefined;
  readonly #trustDomain: string;
  readonly #audiences: readonly string[];
  readonly #nodeAccounts: ReadonlySet<string>;
  readonly #timeoutMs: number;

  constructor(options: TokenReviewAuthenticatorOptions) {
    this.#kubeConfig = options.kubeConfig;
    this.#trustDomain = options.trustDomain;
    this.#audiences = options.audiences ?? DEFAULT_TOKEN_AUDIENCES;
    this.#nodeAccounts = new Set(options.nodeAccounts ?? [`${options.rootNamespace}/ztunnel`]);
    this.#timeoutMs = options.timeoutMs ?? 5_000;
  }

  async authenticate(token: string, signal: AbortSignal): Promise<Caller> {
    if (signal.aborted) throw new UnauthenticatedCallerError('the call ended before its token was checked');
    const status = await this.#review(token, signal);
    if (typeof status.error === 'string' && status.error !== '') {
      // Kubernetes' errors name the check that failed, never the token; kept short all the same.
      throw new UnauthenticatedCallerError(`the API server did not authenticate the service-account token: ${status.error.slice(0, 200)}`);
    }
    if (status.authenticated !== true) throw new UnauthenticatedCallerError('the API server did not authenticate the service-account token');
    // A reviewer that ignores audiences would accept a token meant for another service (Kubernetes' advice).
    const audiences = status.audiences ?? [];
    if (!audiences.some((audience) => this.#audiences.includes(audience))) {
      throw new UnauthenticatedCallerError(`the service-account token is not for audience ${this.#audiences.join(' or ')}`);
    }
    const user = status.user ?? {};
    const account = SERVICE_ACCOUNT_USER.exec(user.username ?? '');
    if (account === null || !(user.groups ?? []).includes('system:serviceaccounts')) {
      throw new UnauthenticatedCallerError(`the token is not a service account's (user ${JSON.stringify(user.username ?? '')})`);
    }
    const [, namespace, serviceAccount] = account as unknown as [string, string, string];
    if (this.#nodeAccounts.has(`${namespace}/${serviceAccount}`)) {
      const node = user.extra?.[NODE_NAME_EXTRA]?.[0];
      if (node === undefined || node === '') {
        throw new UnauthenticatedCallerError(`the token of ${namespace}/${serviceAccount} is not bound to a node (Kubernetes 1.30+ adds ${NODE_NAME_EXTRA} to tokens bound to a pod)`);
      }
      return { kind: 'node', node, proof: 'service-account-token' };
    }
    try {
      return { kind: 'workload', identity: SpiffeId.of({ trustDomain: this.#trustDomain, namespace, serviceAccount }), proof: 'service-account-token' };
    } catch (error) {
      throw new UnauthenticatedCallerError(`service account ${namespace}/${serviceAccount} is not a valid identity`, error);
    }
  }

  async #review(token: string, signal: AbortSignal): Promise<TokenReviewStatus> {
    const body = { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token, audiences: this.#audiences } };
    let answer: unknown;
    try {
      this.#api ??= new KubeApiClient(typeof this.#kubeConfig === 'function' ? this.#kubeConfig() : this.#kubeConfig);
      answer = await this.#api.request({
        method: 'POST',
        path: '/apis/authentication.k8s.io/v1/tokenreviews',
        body,
        signal: AbortSignal.any([signal, AbortSignal.timeout(this.#timeoutMs)]),
        maxBytes: MAX_REVIEW_BYTES,
      });
    } catch (error) {
      if (signal.aborted) throw new UnauthenticatedCallerError('the call ended before its token was checked', error);
      if (error instanceof KubeApiError || error instanceof KubeApiUnreachableError || error instanceof KubeconfigError) throw new TokenReviewUnavailableError(error.message, error);
      throw error;
    }
    const status = (answer as { status?: unknown } | undefined)?.status;
    if (typeof status !== 'object' || status === null) throw new TokenReviewUnavailableError('the API server answered a TokenReview without a status');
    return status as TokenReviewStatus;
  }
}

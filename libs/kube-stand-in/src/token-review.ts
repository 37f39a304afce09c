import { randomBytes, randomUUID } from 'node:crypto';

/** The audience a Kubernetes API server's own tokens carry when none is asked for. */
export const DEFAULT_API_AUDIENCE = 'https://kubernetes.default.svc.cluster.local';

/** `user.extra` keys Kubernetes sets for a bound service-account token. */
export const EXTRA = Object.freeze({
  nodeName: 'authentication.kubernetes.io/node-name',
  podName: 'authentication.kubernetes.io/pod-name',
  podUid: 'authentication.kubernetes.io/pod-uid',
});

export interface ServiceAccountTokenOptions {
  readonly namespace: string;
  readonly serviceAccount: string;
  /** The node of the pod the token is bound to (`user.extra[".../node-name"]`). */
  readonly node?: string;
  /** The pod the token is bound to. */
  readonly pod?: string;
  /** The token's `aud` (default: the API server's own audience). */
  readonly audiences?: readonly string[];
  /** When the token stops being accepted (default: never). */
  readonly expiresAt?: Date;
}

export interface TokenReviewSpec {
  readonly token?: unknown;
  readonly audiences?: unknown;
}

/** `TokenReview.status` as authentication.k8s.io/v1 has it. */
export interface TokenReviewStatus {
  readonly authenticated?: boolean;
  readonly user?: {
    readonly username?: string;
    readonly uid?: string;
    readonly groups?: readonly string[];
    readonly extra?: Readonly<Record<string, readonly string[]>>;
  };
  readonly audiences?: readonly string[];
  readonly error?: string;
}

interface Registered extends ServiceAccountTokenOptions {
  readonly uid: string;
}

/** The service-account tokens the stand-in's API server accepts, and how it reviews one. */
export class TokenRegistry {
  readonly #tokens = new Map<string, Registered>();
  readonly #apiAudiences: readonly string[];

  constructor(apiAudiences: readonly string[]) {
    this.#apiAudiences = apiAudiences;
  }

  /** A new opaque token for the service account; the stand-in answers TokenReviews of it. */
  register(options: ServiceAccountTokenOptions): string {
    const token = `stand-in.${randomBytes(24).toString('base64url')}`;
    this.#tokens.set(token, { ...options, uid: randomUUID() });
    return token;
  }

  revoke(token: string): void {
    this.#tokens.delete(token);
  }

  /**
   * Reviews a token as the API server does: unknown or expired tokens are not
   * authenticated (with an error); otherwise the user, and the audiences the token and the
   * request have in common — none in common is not authenticated either.
   */
  review(spec: TokenReviewSpec, now = new Date()): TokenReviewStatus {
    const entry = typeof spec.token === 'string' ? this.#tokens.get(spec.token) : undefined;
    if (entry === undefined) return { user: {}, error: '[invalid bearer token, token lookup failed]' };
    if (entry.expiresAt !== undefined && entry.expiresAt.getTime() <= now.getTime()) {
      return { user: {}, error: '[invalid bearer token, service account token has expired]' };
    }
    const asked = Array.isArray(spec.audiences) && spec.audiences.length > 0 ? spec.audiences.filter((a): a is string => typeof a === 'string') : this.#apiAudiences;
    const tokenAudiences = entry.audiences ?? [DEFAULT_API_AUDIENCE];
    const common = asked.filter((audience) => tokenAudiences.includes(audience));
    if (common.length === 0) {
      return { user: {}, error: `[invalid bearer token, token audiences ${JSON.stringify(tokenAudiences)} is invalid for the target audiences ${JSON.stringify(asked)}]` };
    }
    const extra: Record<string, string[]> = {};
    if (entry.node !== undefined) extra[EXTRA.nodeName] = [entry.node];
    if (entry.pod !== undefined) extra[EXTRA.podName] = [entry.pod];
    return {
      authenticated: true,
      user: {
        username: `system:serviceaccount:${entry.namespace}:${entry.serviceAccount}`,
        uid: entry.uid,
        groups: ['system:serviceaccounts', `system:serviceaccounts:${entry.namespace}`, 'system:authenticated'],
        extra,
      },
      audiences: common,
    };
  }
}

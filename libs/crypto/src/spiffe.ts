import { InvalidSpiffeIdError } from './errors.js';

const SCHEME = 'spiffe://';
/** The SPIFFE spec's bound on a whole ID; checked first so hostile input costs nothing. */
const MAX_URI_LENGTH = 2048;
const MAX_TRUST_DOMAIN_LENGTH = 255;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * A workload identity as Istio writes it: spiffe://<trust-domain>/ns/<namespace>/sa/<sa>.
 * Parsing is strict (lower-case scheme and trust domain, exactly that path, Kubernetes
 * names) because the string is compared byte for byte against certificates and
 * authorization rules: two spellings of one identity must not exist.
 */
export class SpiffeId {
  readonly trustDomain: string;
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly #uri: string;

  private constructor(trustDomain: string, namespace: string, serviceAccount: string) {
    this.trustDomain = trustDomain;
    this.namespace = namespace;
    this.serviceAccount = serviceAccount;
    this.#uri = `${SCHEME}${trustDomain}/ns/${namespace}/sa/${serviceAccount}`;
  }

  /** Parses `spiffe://td/ns/<ns>/sa/<sa>`; the error names the part that is wrong. */
  static parse(uri: string): SpiffeId {
    if (uri.length > MAX_URI_LENGTH) throw new InvalidSpiffeIdError(uri, 'uri', `is longer than ${MAX_URI_LENGTH} characters`);
    if (!uri.startsWith(SCHEME)) {
      const reason = uri.toLowerCase().startsWith(SCHEME) ? 'must be lower case "spiffe://"' : 'must be "spiffe://"';
      throw new InvalidSpiffeIdError(uri, 'scheme', reason);
    }
    const rest = uri.slice(SCHEME.length);
    const slash = rest.indexOf('/');
    const trustDomain = slash === -1 ? rest : rest.slice(0, slash);
    const trustDomainError = checkTrustDomain(trustDomain);
    if (trustDomainError !== undefined) throw new InvalidSpiffeIdError(uri, 'trust domain', trustDomainError);
    const path = slash === -1 ? '' : rest.slice(slash);
    const segments = path.split('/');
    // "/ns/a/sa/b" splits into ['', 'ns', 'a', 'sa', 'b'].
    if (segments.length !== 5 || segments[0] !== '' || segments[1] !== 'ns' || segments[3] !== 'sa') {
      throw new InvalidSpiffeIdError(uri, 'path', `${JSON.stringify(path)} must be /ns/<namespace>/sa/<service-account>`);
    }
    return SpiffeId.#checked(uri, trustDomain, segments[2]!, segments[4]!);
  }

  /** Builds an identity from its parts, with the same checks as `parse`. */
  static of(parts: { readonly trustDomain: string; readonly namespace: string; readonly serviceAccount: string }): SpiffeId {
    const uri = `${SCHEME}${parts.trustDomain}/ns/${parts.namespace}/sa/${parts.serviceAccount}`;
    const trustDomainError = checkTrustDomain(parts.trustDomain);
    if (trustDomainError !== undefined) throw new InvalidSpiffeIdError(uri, 'trust domain', trustDomainError);
    return SpiffeId.#checked(uri, parts.trustDomain, parts.namespace, parts.serviceAccount);
  }

  static #checked(uri: string, trustDomain: string, namespace: string, serviceAccount: string): SpiffeId {
    const namespaceError = checkNamespace(namespace);
    if (namespaceError !== undefined) throw new InvalidSpiffeIdError(uri, 'namespace', namespaceError);
    const serviceAccountError = checkServiceAccount(serviceAccount);
    if (serviceAccountError !== undefined) throw new InvalidSpiffeIdError(uri, 'service account', serviceAccountError);
    return new SpiffeId(trustDomain, namespace, serviceAccount);
  }

  equals(other: SpiffeId): boolean {
    return this.#uri === other.#uri;
  }

  toString(): string {
    return this.#uri;
  }

  toJSON(): string {
    return this.#uri;
  }
}

/**
 * A trust domain is a lower-case DNS name (Istio's default is `cluster.local`): an
 * error or undefined.
 */
export function checkTrustDomain(trustDomain: string): string | undefined {
  if (trustDomain.length === 0) return 'is empty';
  if (trustDomain.length > MAX_TRUST_DOMAIN_LENGTH) return `is longer than ${MAX_TRUST_DOMAIN_LENGTH} characters`;
  if (!DNS_SUBDOMAIN.test(trustDomain) || trustDomain.split('.').some((label) => label.length > 63)) {
    return `${JSON.stringify(trustDomain)} must be a lower-case DNS name (labels of a-z, 0-9 and '-', separated by '.')`;
  }
  return undefined;
}

/** A Kubernetes namespace is a DNS-1123 label. */
function checkNamespace(namespace: string): string | undefined {
  if (namespace.length === 0) return 'is empty';
  if (namespace.length > 63) return 'is longer than 63 characters';
  if (!DNS_LABEL.test(namespace)) return `${JSON.stringify(namespace)} must be a DNS-1123 label (a-z, 0-9 and '-', alphanumeric at both ends)`;
  return undefined;
}

/** A Kubernetes service account name is a DNS-1123 subdomain. */
function checkServiceAccount(serviceAccount: string): string | undefined {
  if (serviceAccount.length === 0) return 'is empty';
  if (serviceAccount.length > 253) return 'is longer than 253 characters';
  if (!DNS_SUBDOMAIN.test(serviceAccount)) {
    return `${JSON.stringify(serviceAccount)} must be a DNS-1123 subdomain (a-z, 0-9, '-' and '.', alphanumeric at both ends)`;
  }
  return undefined;
}

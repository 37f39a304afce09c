import { Client, Metadata, type ChannelCredentials, type ServiceError } from '@grpc/grpc-js';
import { positive } from '../client/xds-client.js';
import { GrpcStatus, XdsOptionError } from '../errors.js';
import { CertificateAuthority, CreateCertificateRequest, CreateCertificateResponse } from '../generated/ambit.ca.v1.js';
import { grpcChannelCredentials, grpcChannelOptions, type XdsClientCredentials } from '../tls/client-credentials.js';
import { CertificateRequestError } from './errors.js';

const MiB = 1024 * 1024;
const PEM_CERTIFICATE = '-----BEGIN CERTIFICATE-----';

export interface CaClientOptions {
  /** `host:port` of the control plane (port 15012, the xDS port). */
  readonly target: string;
  /**
   * The same credentials as the xDS client: the server's identity is verified
   * (`serverIdentities`), and the node's bearer token (`bearerToken`) is sent on every
   * call. A node with no certificate yet gives only the trust bundle and its token.
   */
  readonly credentials: XdsClientCredentials;
  /** Default deadline of a call (10 s). */
  readonly timeoutMs?: number;
  /** Largest response accepted (1 MiB: a chain is a few KiB). */
  readonly maxResponseBytes?: number;
}

export interface CertificateRequest {
  /** PEM PKCS#10 CSR whose only subjectAltName is the SPIFFE ID wanted. */
  readonly csrPem: string;
  /** Requested lifetime; the CA's default when left out, capped at its maximum. */
  readonly ttlSeconds?: number;
  /** Hints for the CA, e.g. `{ ImpersonatedIdentity: 'spiffe://…' }` as Istio's ztunnel sends. */
  readonly metadata?: Readonly<Record<string, string>>;
  /** When to give up (default: `timeoutMs` from now). */
  readonly deadline?: Date;
}

/**
 * Calls the mesh CA (`ambit.ca.v1.CertificateAuthority/CreateCertificate`) over the same
 * TLS as xDS. One connection is kept and reused until the credentials are updated.
 */
export class CaClient {
  readonly target: string;
  readonly #credentials: XdsClientCredentials;
  readonly #timeoutMs: number;
  readonly #channelOptions: Record<string, number>;
  #grpc: { readonly client: Client; readonly credentials: ChannelCredentials } | undefined;
  #closed = false;

  constructor(options: CaClientOptions) {
    if (options.target === '') throw new XdsOptionError('target', '', "must be the control plane's host:port");
    this.target = options.target;
    this.#credentials = options.credentials;
    this.#timeoutMs = positive('timeoutMs', options.timeoutMs ?? 10_000);
    this.#channelOptions = {
      'grpc.max_receive_message_length': positive('maxResponseBytes', options.maxResponseBytes ?? MiB),
      'grpc.use_local_subchannel_pool': 1,
      'grpc.enable_retries': 0,
    };
  }

  /**
   * Resolves with the certificate chain, leaf first, root last. Rejects with
   * `CertificateRequestError` carrying the status: UNAUTHENTICATED, PERMISSION_DENIED,
   * INVALID_ARGUMENT, RESOURCE_EXHAUSTED, DEADLINE_EXCEEDED, UNAVAILABLE, …
   */
  createCertificate(request: CertificateRequest): Promise<readonly string[]> {
    if (this.#closed) return Promise.reject(new CertificateRequestError(this.target, GrpcStatus.CANCELLED, 'the CA client was closed'));
    const ttl = request.ttlSeconds ?? 0;
    if (!Number.isSafeInteger(ttl) || ttl < 0) return Promise.reject(new XdsOptionError('ttlSeconds', ttl, 'must be a whole number of seconds, 0 or more'));
    let bytes: Uint8Array;
    try {
      bytes = CreateCertificateRequest.encode({ csr: request.csrPem, validityDuration: ttl, metadata: { ...request.metadata } });
    } catch (error) {
      return Promise.reject(error);
    }
    const deadline = request.deadline ?? new Date(Date.now() + this.#timeoutMs);
    const identity = (buffer: Buffer): Buffer => buffer;
    return new Promise((resolve, reject) => {
      this.#client().makeUnaryRequest(
        CertificateAuthority.CreateCertificate.path,
        identity,
        identity,
        Buffer.from(bytes),
        new Metadata(),
        { deadline },
        (error: ServiceError | null, response?: Buffer) => {
          if (error !== null) return reject(new CertificateRequestError(this.target, error.code, error.details));
          try {
            resolve(certificateChain(response));
          } catch (problem) {
            reject(new CertificateRequestError(this.target, GrpcStatus.INTERNAL, problem instanceof Error ? problem.message : String(problem)));
          }
        },
      );
    });
  }

  close(): void {
    this.#closed = true;
    this.#grpc?.client.close();
    this.#grpc = undefined;
  }

  /** The connection for the current credentials: a new one after `credentials.update`. */
  #client(): Client {
    const credentials = grpcChannelCredentials(this.#credentials);
    if (this.#grpc?.credentials !== credentials) {
      this.#grpc?.client.close();
      this.#grpc = { client: new Client(this.target, credentials, { ...this.#channelOptions, ...grpcChannelOptions(this.#credentials) }), credentials };
    }
    return this.#grpc.client;
  }
}

/** The chain of a response, checked to be PEM certificates, at least the leaf. */
function certificateChain(response: Buffer | undefined): readonly string[] {
  const { certChain } = CreateCertificateResponse.decode(response ?? Buffer.alloc(0));
  if (certChain.length === 0) throw new Error('the response carries no certificate');
  if (!certChain.every((pem) => pem.trimStart().startsWith(PEM_CERTIFICATE))) throw new Error('the response carries something that is not a PEM certificate');
  return certChain;
}

import type { sendUnaryData, ServerUnaryCall, ServiceDefinition } from '@grpc/grpc-js';
import { clip, grpcStatusOf, ServerClosingError, UnauthenticatedCallError, XdsInternalError, XdsStreamError } from '../errors.js';
import { CertificateAuthority, CreateCertificateRequest, CreateCertificateResponse } from '../generated/ambit.ca.v1.js';
import type { XdsServerLimits } from '../server/limits.js';
import { bearerTokenOf } from '../tls/bearer-token.js';
import { peerOf, type PeerIdentity } from '../tls/peer.js';
import { CaBusyError, CaRequestTooLargeError, CaTimeoutError, InvalidCaRequestError } from './errors.js';

/** One CreateCertificate call as the handler sees it. */
export interface CertificateCall {
  /** The verified client certificate; undefined when the client sent none (or one that did not verify). */
  readonly peer: PeerIdentity | undefined;
  /** The token of `authorization: Bearer <token>`; never log it. */
  readonly bearerToken: string | undefined;
  /** `ip:port` of the connection. */
  readonly remoteAddress: string;
  /** Aborted when the client cancels or `certificateRequestTimeoutMs` runs out; stop waiting then. */
  readonly signal: AbortSignal;
}

/**
 * The control plane's side of `ambit.ca.v1.CertificateAuthority`, mounted on the xDS
 * server with `XdsServerOptions.certificateAuthority`. The library bounds the request,
 * decodes it and requires a verified certificate or a bearer token; everything else
 * (authenticating the token, authorizing the identity, signing) is the handler's.
 */
export interface CertificateAuthorityHandler {
  /**
   * Resolves with the chain, leaf first. To refuse, reject with an error carrying the
   * gRPC status as `grpcCode` (its message becomes the status details); any other error
   * is answered INTERNAL.
   */
  createCertificate(request: CreateCertificateRequest, call: CertificateCall): Promise<readonly string[]>;
  /**
   * Told of every call the library refused itself (too large, malformed, unauthenticated
   * metadata, overload, timeout, shutdown), so that the handler's metrics count them too.
   */
  refused?(error: XdsStreamError, remoteAddress: string): void;
}

const identity = (bytes: Buffer): Buffer => bytes;

/** Raw bytes both ways: the size is checked before decoding, and a malformed request is INVALID_ARGUMENT with the reason (grpc-js would say INTERNAL). */
export const caServiceDefinition: ServiceDefinition = {
  CreateCertificate: {
    path: CertificateAuthority.CreateCertificate.path,
    requestStream: false,
    responseStream: false,
    requestSerialize: identity,
    requestDeserialize: identity,
    responseSerialize: identity,
    responseDeserialize: identity,
  },
};

type Limits = Pick<XdsServerLimits, 'maxCertificateRequestBytes' | 'certificateRequestTimeoutMs' | 'maxPendingCertificateRequests'>;

/** Serves CreateCertificate calls through a handler, within the server's limits; nothing a client sends can throw out of it. */
export class CertificateService {
  readonly #handler: CertificateAuthorityHandler;
  readonly #limits: Limits;
  readonly #closing: () => boolean;
  #pending = 0;

  constructor(handler: CertificateAuthorityHandler, limits: Limits, closing: () => boolean) {
    this.#handler = handler;
    this.#limits = limits;
    this.#closing = closing;
  }

  serve(call: ServerUnaryCall<Buffer, Buffer>, callback: sendUnaryData<Buffer>): void {
    const remoteAddress = call.getPeer();
    let answered = false;
    const answer = (status: Status | undefined, chain?: readonly string[]): void => {
      if (answered) return;
      answered = true;
      if (status === undefined) callback(null, Buffer.from(CreateCertificateResponse.encode({ certChain: chain })));
      else callback(status);
    };
    const refuse = (error: XdsStreamError): void => {
      if (answered) return;
      answer({ code: error.grpcCode, details: error.message });
      this.#tell(error, remoteAddress);
    };

    let request: CreateCertificateRequest;
    let credentials: Omit<CertificateCall, 'signal' | 'remoteAddress'>;
    try {
      if (this.#closing()) throw new ServerClosingError();
      if (this.#pending >= this.#limits.maxPendingCertificateRequests) throw new CaBusyError(this.#limits.maxPendingCertificateRequests);
      if (call.request.byteLength > this.#limits.maxCertificateRequestBytes) throw new CaRequestTooLargeError(call.request.byteLength, this.#limits.maxCertificateRequestBytes);
      const bearerToken = bearerTokenOf(call.metadata);
      const peer = peerOf(call);
      if (peer === undefined && bearerToken === undefined) throw new UnauthenticatedCallError('no verified client certificate and no bearer token');
      credentials = { peer, bearerToken };
      request = decode(call.request);
    } catch (error) {
      return refuse(error instanceof XdsStreamError ? error : new XdsInternalError(error));
    }

    this.#pending++;
    const controller = new AbortController();
    const timeoutMs = this.#limits.certificateRequestTimeoutMs;
    const timer = setTimeout(() => {
      controller.abort();
      refuse(new CaTimeoutError(timeoutMs));
    }, timeoutMs);
    const onCancelled = (): void => {
      answered = true;
      controller.abort();
    };
    call.once('cancelled', onCancelled);
    const settle = (): void => {
      this.#pending--;
      clearTimeout(timer);
      call.removeListener('cancelled', onCancelled);
    };
    let handled: Promise<readonly string[]>;
    try {
      handled = this.#handler.createCertificate(request, { ...credentials, remoteAddress, signal: controller.signal });
    } catch (error) {
      handled = Promise.reject(error);
    }
    handled.then(
      (chain) => {
        settle();
        answer(undefined, chain);
      },
      (error: unknown) => {
        settle();
        answer(handlerError(error));
      },
    );
  }

  #tell(error: XdsStreamError, remoteAddress: string): void {
    try {
      this.#handler.refused?.(error, remoteAddress);
    } catch {
      // A metrics callback failing must not take the call or the server down.
    }
  }
}

function decode(bytes: Buffer): CreateCertificateRequest {
  try {
    return CreateCertificateRequest.decode(bytes);
  } catch (error) {
    throw new InvalidCaRequestError(error instanceof Error ? error.message : String(error));
  }
}

interface Status {
  readonly code: number;
  readonly details: string;
}

/** A handler's refusal keeps its status and message; anything else is a bug, answered INTERNAL. */
function handlerError(error: unknown): Status {
  const code = grpcStatusOf(error);
  if (code === undefined) {
    const internal = new XdsInternalError(error);
    return { code: internal.grpcCode, details: internal.message };
  }
  return { code, details: clip(error instanceof Error ? error.message : String(error)) };
}

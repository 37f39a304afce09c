import { AmbitError, type AmbitErrorOptions } from '@ambit/errors';
import { status as GrpcStatus } from '@grpc/grpc-js';

/**
 * Every way the xDS library refuses input or gives up, one class per failure. Codes are
 * stable (docs/xds.md lists them). Stream errors also carry the gRPC status the peer
 * sees, so that a log line on either side names the same failure.
 */

/** The gRPC status codes this library ends streams with (grpc-js numbering, which is gRPC's). */
export { GrpcStatus };

export class MalformedMessageError extends AmbitError {
  constructor(typeName: string, bytes: number, cause: unknown) {
    super('AMBIT_ERR_XDS_MALFORMED_MESSAGE', `${bytes} bytes are not a valid ${typeName}: ${messageOf(cause)}`, {
      hint: 'is the peer speaking a different version of the wire contract (proto/)?',
      cause,
    });
  }
}

export class MessageEncodeError extends AmbitError {
  constructor(typeName: string, cause: unknown) {
    super('AMBIT_ERR_XDS_ENCODE', `cannot encode ${typeName}: ${messageOf(cause)}`, {
      hint: 'the object does not match the message type; build it with the generated type',
      cause,
    });
  }
}

export class InvalidResourceError extends AmbitError {
  constructor(typeUrl: string, name: string, reason: string, cause?: unknown) {
    super('AMBIT_ERR_XDS_INVALID_RESOURCE', `resource ${JSON.stringify(clip(name))} of ${typeUrl} ${reason}`, {
      hint: 'the batch was not applied; fix the resource and apply it again',
      cause,
    });
  }
}

export class XdsOptionError extends AmbitError {
  constructor(option: string, value: unknown, reason: string) {
    super('AMBIT_ERR_XDS_OPTION', `option ${option} = ${describeValue(value)} ${reason}`);
  }
}

export class XdsTlsError extends AmbitError {
  constructor(what: string, cause: unknown) {
    super('AMBIT_ERR_XDS_TLS', `${what}: ${messageOf(cause)}`, {
      hint: 'expected PEM certificates (leaf first) with their private key, and PEM roots for the trust bundle',
      cause,
    });
  }
}

export class XdsListenError extends AmbitError {
  constructor(address: string, cause: unknown) {
    super('AMBIT_ERR_XDS_LISTEN', `cannot serve xDS on ${address}: ${messageOf(cause)}`, {
      hint: 'is another control plane already listening on that port?',
      cause,
    });
  }
}

export class XdsSyncTimeoutError extends AmbitError {
  constructor(timeoutMs: number, pending: readonly string[]) {
    super('AMBIT_ERR_XDS_SYNC_TIMEOUT', `not synced within ${timeoutMs} ms; still waiting for ${pending.join(', ')}`, {
      hint: 'is the control plane reachable, and does it trust this proxy certificate?',
    });
  }
}

export class XdsClientClosedError extends AmbitError {
  constructor() {
    super('AMBIT_ERR_XDS_CLIENT_CLOSED', 'the xDS client was closed');
  }
}

/** The control plane's certificate does not carry an identity the client expects. */
export class UnexpectedServerIdentityError extends AmbitError {
  constructor(found: readonly string[], expected: readonly string[]) {
    const have = found.length === 0 ? 'no URI subjectAltName' : found.join(', ');
    super('AMBIT_ERR_XDS_SERVER_IDENTITY', `the xDS server presented ${have}, expected one of ${expected.join(', ')}`, {
      hint: 'is the client pointed at the right control plane, with the right trust domain?',
    });
  }
}

/** The stream to the control plane ended (or could not start); the client reconnects. */
export class XdsConnectionError extends AmbitError {
  readonly grpcCode: number;

  constructor(target: string, grpcCode: number, details: string) {
    super('AMBIT_ERR_XDS_CONNECTION', `xDS stream to ${target} ended: ${statusName(grpcCode)}: ${clip(details)}`, {
      hint: 'is the control plane reachable on its xDS port, and do both sides trust each other’s certificates?',
    });
    this.grpcCode = grpcCode;
  }
}

/**
 * Why the server ended a stream. Each subclass is one refusal; `grpcCode` is the status
 * the proxy receives, with the message as its details.
 */
export abstract class XdsStreamError extends AmbitError {
  readonly grpcCode: number;

  constructor(code: string, grpcCode: number, message: string, options: AmbitErrorOptions = {}) {
    super(code, message, options);
    this.grpcCode = grpcCode;
  }
}

export class InvalidRequestError extends XdsStreamError {
  constructor(reason: string) {
    super('AMBIT_ERR_XDS_INVALID_REQUEST', GrpcStatus.INVALID_ARGUMENT, `invalid DeltaDiscoveryRequest: ${reason}`);
  }
}

export class UnknownTypeUrlError extends XdsStreamError {
  constructor(typeUrl: string, served: readonly string[]) {
    super(
      'AMBIT_ERR_XDS_UNKNOWN_TYPE',
      GrpcStatus.INVALID_ARGUMENT,
      `type_url ${JSON.stringify(clip(typeUrl))} is not served; this server serves ${served.join(', ')}`,
      { hint: 'is the proxy newer than the control plane?' },
    );
  }
}

export class TooManyNamesError extends XdsStreamError {
  constructor(what: string, count: number, limit: number) {
    super('AMBIT_ERR_XDS_TOO_MANY_NAMES', GrpcStatus.RESOURCE_EXHAUSTED, `${what}: ${count} names exceed the limit of ${limit}`, {
      hint: 'subscribe with a wildcard instead of naming every resource',
    });
  }
}

export class TooManyStreamsError extends XdsStreamError {
  constructor(limit: number) {
    super('AMBIT_ERR_XDS_TOO_MANY_STREAMS', GrpcStatus.RESOURCE_EXHAUSTED, `the server already serves ${limit} streams`, { hint: 'retry later or raise maxStreams' });
  }
}

/**
 * `admit` refused a proxy: PERMISSION_DENIED, or the status the thrown error carries
 * (`grpcStatusOf`), e.g. UNAUTHENTICATED for a token the control plane does not accept.
 */
export class ProxyRejectedError extends XdsStreamError {
  constructor(nodeId: string, reason: string, grpcCode: number = GrpcStatus.PERMISSION_DENIED) {
    super('AMBIT_ERR_XDS_PROXY_REJECTED', grpcCode, `proxy ${JSON.stringify(clip(nodeId))} may not connect: ${clip(reason)}`);
  }
}

/** A call that proves no identity: no verified client certificate, and no bearer token the server can verify. */
export class UnauthenticatedCallError extends XdsStreamError {
  constructor(reason: string) {
    super('AMBIT_ERR_XDS_UNAUTHENTICATED', GrpcStatus.UNAUTHENTICATED, `unauthenticated: ${reason}`, {
      hint: "present a client certificate issued by the mesh's CA, or a bearer token (authorization: Bearer <token>) the control plane accepts",
    });
  }
}

/**
 * The gRPC status an error thrown by a callback (admit, a CA handler) asks for: its
 * numeric `grpcCode` (as XdsStreamError and the control plane's refusals carry) when it
 * is a status other than OK; undefined otherwise.
 */
export function grpcStatusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null || !('grpcCode' in error)) return undefined;
  const code = error.grpcCode;
  return typeof code === 'number' && Number.isInteger(code) && code > GrpcStatus.OK && code <= GrpcStatus.UNAUTHENTICATED ? code : undefined;
}

export class FirstRequestTimeoutError extends XdsStreamError {
  constructor(timeoutMs: number) {
    super('AMBIT_ERR_XDS_FIRST_REQUEST_TIMEOUT', GrpcStatus.DEADLINE_EXCEEDED, `no DeltaDiscoveryRequest within ${timeoutMs} ms of opening the stream`);
  }
}

export class AckTimeoutError extends XdsStreamError {
  constructor(typeUrl: string, nonce: string, timeoutMs: number) {
    super('AMBIT_ERR_XDS_ACK_TIMEOUT', GrpcStatus.DEADLINE_EXCEEDED, `response ${nonce} of ${typeUrl} was neither ACKed nor NACKed within ${timeoutMs} ms`, {
      hint: 'is the proxy stuck or not reading its stream?',
    });
  }
}

export class SendBufferFullError extends XdsStreamError {
  constructor(queuedBytes: number, limit: number) {
    super('AMBIT_ERR_XDS_SEND_BUFFER_FULL', GrpcStatus.RESOURCE_EXHAUSTED, `${queuedBytes} bytes would be queued for a proxy that is not reading, over the limit of ${limit}`, {
      hint: 'is the proxy stuck or on a very slow link?',
    });
  }
}

export class ServerClosingError extends XdsStreamError {
  constructor() {
    super('AMBIT_ERR_XDS_SERVER_CLOSING', GrpcStatus.UNAVAILABLE, 'the xDS server is shutting down', { hint: 'reconnect to another control plane replica' });
  }
}

export function statusName(grpcCode: number): string {
  return GrpcStatus[grpcCode] ?? `status ${grpcCode}`;
}

function messageOf(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}

/** Names and details come from the network; an error message quotes at most this much of one. */
const MAX_QUOTED = 200;

export function clip(text: string): string {
  return text.length <= MAX_QUOTED ? text : `${text.slice(0, MAX_QUOTED)}…`;
}

function describeValue(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(clip(value)) : String(value);
}

/** A bug or a throwing callback (filter, admit) on the server side; the stream ends, the server goes on. */
export class XdsInternalError extends XdsStreamError {
  constructor(cause: unknown) {
    super('AMBIT_ERR_XDS_INTERNAL', GrpcStatus.INTERNAL, `internal error: ${messageOf(cause)}`, {
      hint: 'this is a bug in Ambit or in a callback given to XdsServer',
      cause,
    });
  }
}

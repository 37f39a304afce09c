import { AmbitError, isAmbitError } from '@ambit/errors';
import { describe, expect, it } from 'vitest';
import * as xds from './index.js';
import { GrpcStatus, statusName, XdsStreamError } from './errors.js';

const cause = new Error('root cause');

/** Every error class the library exports, with an instance built as the library builds it. */
const cases: [string, AmbitError, number | undefined][] = [
  ['AMBIT_ERR_XDS_MALFORMED_MESSAGE', new xds.MalformedMessageError('ambit.workload.v1.Address', 3, cause), undefined],
  ['AMBIT_ERR_XDS_ENCODE', new xds.MessageEncodeError('ambit.workload.v1.Address', cause), undefined],
  ['AMBIT_ERR_XDS_INVALID_RESOURCE', new xds.InvalidResourceError('t', 'n', 'has an empty name'), undefined],
  ['AMBIT_ERR_XDS_OPTION', new xds.XdsOptionError('limits.maxStreams', 0, 'must be a positive integer'), undefined],
  ['AMBIT_ERR_XDS_TLS', new xds.XdsTlsError('xDS server TLS material', cause), undefined],
  ['AMBIT_ERR_XDS_LISTEN', new xds.XdsListenError('0.0.0.0:15012', cause), undefined],
  ['AMBIT_ERR_XDS_SYNC_TIMEOUT', new xds.XdsSyncTimeoutError(100, ['t']), undefined],
  ['AMBIT_ERR_XDS_CLIENT_CLOSED', new xds.XdsClientClosedError(), undefined],
  ['AMBIT_ERR_XDS_SERVER_IDENTITY', new xds.UnexpectedServerIdentityError([], ['spiffe://a/ns/b/sa/c']), undefined],
  ['AMBIT_ERR_XDS_CONNECTION', new xds.XdsConnectionError('h:1', GrpcStatus.UNAVAILABLE, 'No connection established'), undefined],
  ['AMBIT_ERR_XDS_INVALID_REQUEST', new xds.InvalidRequestError('type_url is empty'), GrpcStatus.INVALID_ARGUMENT],
  ['AMBIT_ERR_XDS_UNKNOWN_TYPE', new xds.UnknownTypeUrlError('x', ['y']), GrpcStatus.INVALID_ARGUMENT],
  ['AMBIT_ERR_XDS_TOO_MANY_NAMES', new xds.TooManyNamesError('one request', 11, 10), GrpcStatus.RESOURCE_EXHAUSTED],
  ['AMBIT_ERR_XDS_TOO_MANY_STREAMS', new xds.TooManyStreamsError(1), GrpcStatus.RESOURCE_EXHAUSTED],
  ['AMBIT_ERR_XDS_PROXY_REJECTED', new xds.ProxyRejectedError('p', 'no'), GrpcStatus.PERMISSION_DENIED],
  ['AMBIT_ERR_XDS_FIRST_REQUEST_TIMEOUT', new xds.FirstRequestTimeoutError(1), GrpcStatus.DEADLINE_EXCEEDED],
  ['AMBIT_ERR_XDS_ACK_TIMEOUT', new xds.AckTimeoutError('t', 'n', 1), GrpcStatus.DEADLINE_EXCEEDED],
  ['AMBIT_ERR_XDS_SEND_BUFFER_FULL', new xds.SendBufferFullError(2, 1), GrpcStatus.RESOURCE_EXHAUSTED],
  ['AMBIT_ERR_XDS_SERVER_CLOSING', new xds.ServerClosingError(), GrpcStatus.UNAVAILABLE],
  ['AMBIT_ERR_XDS_INTERNAL', new xds.XdsInternalError(cause), GrpcStatus.INTERNAL],
  ['AMBIT_ERR_XDS_UNAUTHENTICATED', new xds.UnauthenticatedCallError('no verified client certificate and no bearer token'), GrpcStatus.UNAUTHENTICATED],
  ['AMBIT_ERR_XDS_CA_REQUEST_TOO_LARGE', new xds.CaRequestTooLargeError(40_000, 32_768), GrpcStatus.RESOURCE_EXHAUSTED],
  ['AMBIT_ERR_XDS_CA_INVALID_REQUEST', new xds.InvalidCaRequestError('index out of range'), GrpcStatus.INVALID_ARGUMENT],
  ['AMBIT_ERR_XDS_CA_BUSY', new xds.CaBusyError(1000), GrpcStatus.RESOURCE_EXHAUSTED],
  ['AMBIT_ERR_XDS_CA_TIMEOUT', new xds.CaTimeoutError(10_000), GrpcStatus.DEADLINE_EXCEEDED],
  ['AMBIT_ERR_XDS_CA_CALL', new xds.CertificateRequestError('h:1', GrpcStatus.PERMISSION_DENIED, 'no'), undefined],
];

describe('xDS errors', () => {
  it.each(cases)('%s', (code, error, grpcCode) => {
    expect(error.code).toBe(code);
    expect(isAmbitError(error)).toBe(true);
    expect(error.name).toBe(error.constructor.name);
    expect(error.message).not.toBe('');
    if (grpcCode === undefined) expect(error).not.toBeInstanceOf(XdsStreamError);
    else expect((error as XdsStreamError).grpcCode).toBe(grpcCode);
  });

  it('covers every error class the library exports', () => {
    const exported = Object.entries(xds).filter(([, value]) => typeof value === 'function' && value.prototype instanceof AmbitError && value !== XdsStreamError);
    expect(exported.map(([name]) => name).sort()).toEqual(cases.map(([, error]) => error.constructor.name).sort());
  });

  it('reads the status a thrown error asks for', () => {
    expect(xds.grpcStatusOf(new xds.UnauthenticatedCallError('x'))).toBe(GrpcStatus.UNAUTHENTICATED);
    expect(xds.grpcStatusOf(Object.assign(new Error('x'), { grpcCode: GrpcStatus.PERMISSION_DENIED }))).toBe(GrpcStatus.PERMISSION_DENIED);
    for (const odd of [new Error('x'), undefined, 'x', { grpcCode: 0 }, { grpcCode: 17 }, { grpcCode: '7' }, { grpcCode: 1.5 }]) expect(xds.grpcStatusOf(odd)).toBeUndefined();
    expect(new xds.ProxyRejectedError('p', 'bad token', GrpcStatus.UNAUTHENTICATED).grpcCode).toBe(GrpcStatus.UNAUTHENTICATED);
  });

  it('names gRPC status codes', () => {
    expect(statusName(GrpcStatus.RESOURCE_EXHAUSTED)).toBe('RESOURCE_EXHAUSTED');
    expect(statusName(99)).toBe('status 99');
  });

  it('quotes at most a bounded part of what a peer sent', () => {
    expect(new xds.UnknownTypeUrlError('x'.repeat(10_000), ['y']).message.length).toBeLessThan(400);
  });
});

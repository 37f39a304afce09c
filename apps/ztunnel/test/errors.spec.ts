import { describe, expect, it } from 'vitest';
import { AmbitError } from '@ambit/errors';
import { EndpointListenError } from '../src/admin/index.js';
import { ConfigError } from '../src/config/index.js';
import { CertificateFileError, CertificateManagerClosedError, CertificateManagerOptionError, TokenFileError, WorkloadCertificateError } from '../src/identity/index.js';
import {
  ConnectError,
  HboneUnavailableError,
  NoHealthyEndpointError,
  NoWorkloadAddressError,
  UnknownServicePortError,
  UnresolvedHostError,
  WaypointUnavailableError,
} from '../src/outbound/index.js';
import { Socks5HandshakeError, Socks5ListenError } from '../src/socks5/index.js';
import { InvalidResourceError, UpdateRejectedError } from '../src/state/index.js';
import { ZtunnelClosedError, ZtunnelNotListeningError } from '../src/ztunnel.js';

const inUse = Object.assign(new Error('listen EADDRINUSE'), { code: 'EADDRINUSE' });
const invalid = new InvalidResourceError('Address', 'a', 'workload.uid', 'is required');

// Every error class ztunnel raises, with its stable code (docs/ztunnel.md lists them).
const cases: [AmbitError, string, RegExp][] = [
  [new ConfigError('--node-name', 'X', 'a node name'), 'AMBIT_ERR_ZTUNNEL_CONFIG', /--node-name "X" is not valid/],
  [invalid, 'AMBIT_ERR_ZTUNNEL_INVALID_RESOURCE', /^Address "a" workload\.uid: is required$/],
  [new UpdateRejectedError([invalid]), 'AMBIT_ERR_ZTUNNEL_UPDATE_REJECTED', /^Address "a" workload\.uid: is required$/],
  [new CertificateFileError('/c.pem', 'cannot be read (ENOENT)'), 'AMBIT_ERR_ZTUNNEL_CERT_FILE', /^\/c\.pem: cannot be read/],
  [new TokenFileError('/t', 'is empty'), 'AMBIT_ERR_ZTUNNEL_TOKEN_FILE', /^\/t: is empty$/],
  [new WorkloadCertificateError('spiffe://cluster.local/ns/a/sa/b', new Error('UNAVAILABLE')), 'AMBIT_ERR_ZTUNNEL_WORKLOAD_CERT', /^no certificate for spiffe:\/\/cluster\.local\/ns\/a\/sa\/b: UNAVAILABLE$/],
  [new CertificateManagerClosedError(), 'AMBIT_ERR_ZTUNNEL_CERTIFICATES_CLOSED', /was closed/],
  [new CertificateManagerOptionError('maxConcurrentRequests', '0', 'must be a positive whole number'), 'AMBIT_ERR_ZTUNNEL_CERTIFICATES_OPTION', /maxConcurrentRequests = 0 must be/],
  [new EndpointListenError('admin', '127.0.0.1:15000', '--admin-address', inUse), 'AMBIT_ERR_ZTUNNEL_LISTEN', /15000: the address is already in use/],
  [new Socks5ListenError('127.0.0.1:15080', inUse), 'AMBIT_ERR_ZTUNNEL_SOCKS5_LISTEN', /15080: the address is already in use/],
  [new Socks5HandshakeError('command 2 is not supported', 7), 'AMBIT_ERR_ZTUNNEL_SOCKS5_HANDSHAKE', /command 2/],
  [new NoHealthyEndpointError('web.default.svc.cluster.local', 80), 'AMBIT_ERR_ZTUNNEL_NO_HEALTHY_ENDPOINT', /no healthy endpoint for port 80/],
  [new UnknownServicePortError('web', 81, [80]), 'AMBIT_ERR_ZTUNNEL_UNKNOWN_SERVICE_PORT', /has no port 81 \(it declares 80\)/],
  [new NoWorkloadAddressError('uid'), 'AMBIT_ERR_ZTUNNEL_NO_WORKLOAD_ADDRESS', /no IP address/],
  [new WaypointUnavailableError('ns/wp', 'no such service'), 'AMBIT_ERR_ZTUNNEL_WAYPOINT_UNAVAILABLE', /ns\/wp is not reachable: no such service/],
  [new UnresolvedHostError('x.invalid'), 'AMBIT_ERR_ZTUNNEL_UNRESOLVED_HOST', /cannot resolve "x\.invalid"/],
  [new HboneUnavailableError('10.0.0.1:80'), 'AMBIT_ERR_ZTUNNEL_HBONE_UNAVAILABLE', /must be reached over HBONE/],
  [new ConnectError('10.0.0.1:80', Object.assign(new Error('refused'), { code: 'ECONNREFUSED' })), 'AMBIT_ERR_ZTUNNEL_CONNECT', /cannot connect to 10\.0\.0\.1:80/],
  [new ZtunnelNotListeningError(), 'AMBIT_ERR_ZTUNNEL_NOT_LISTENING', /not listening/],
  [new ZtunnelClosedError(), 'AMBIT_ERR_ZTUNNEL_CLOSED', /was closed/],
];

describe('error classes', () => {
  it.each(cases)('%s has a stable code and a message naming what is wrong', (error, code, message) => {
    expect(error).toBeInstanceOf(AmbitError);
    expect(error.code).toBe(code);
    expect(error.name).toBe(error.constructor.name);
    expect(error.message).toMatch(message);
  });

  it('tells refused from unreachable connections (the SOCKS5 reply depends on it)', () => {
    expect(new ConnectError('x', Object.assign(new Error(), { code: 'ECONNREFUSED' })).reason).toBe('refused');
    expect(new ConnectError('x', Object.assign(new Error(), { code: 'ETIMEDOUT' })).reason).toBe('unreachable');
    expect(new ConnectError('x', new Error('other')).reason).toBe('failed');
  });
});

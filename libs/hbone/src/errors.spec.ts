import { AmbitError } from '@ambit/errors';
import { describe, expect, it } from 'vitest';
import {
  HboneCertificateError,
  HboneClientIdentityError,
  HboneConnectError,
  HboneHandlerError,
  HboneOptionError,
  HbonePoolClosedError,
  HboneRefusedError,
  HboneServerIdentityError,
  HboneServerListenError,
  HboneStreamError,
  HboneTimeoutError,
  HboneTlsError,
} from './errors.js';

describe('HBONE errors', () => {
  it.each([
    [new HboneOptionError('destination', 'reviews:80', 'must be an IP'), 'AMBIT_ERR_HBONE_OPTION', /destination = "reviews:80"/],
    [new HboneConnectError('10.0.0.2:15008', new Error('ECONNREFUSED')), 'AMBIT_ERR_HBONE_CONNECT', /10\.0\.0\.2:15008.*ECONNREFUSED/],
    [new HboneTlsError('client', '10.0.0.2:15008', new Error('alert')), 'AMBIT_ERR_HBONE_TLS', /client side/],
    [new HboneServerIdentityError('10.0.0.2:15008', new Error('mismatch')), 'AMBIT_ERR_HBONE_SERVER_IDENTITY', /10\.0\.0\.2:15008/],
    [new HboneClientIdentityError('10.0.0.1:4000', new Error('untrusted')), 'AMBIT_ERR_HBONE_CLIENT_IDENTITY', /10\.0\.0\.1:4000/],
    [new HboneCertificateError('for 10.0.0.2:15008', 'none'), 'AMBIT_ERR_HBONE_CERTIFICATE', /for 10\.0\.0\.2:15008/],
    [new HboneTimeoutError('response', '10.0.0.2:80', 10), 'AMBIT_ERR_HBONE_TIMEOUT', /response.*10 ms/],
    [new HboneRefusedError('10.0.0.2:80', 403), 'AMBIT_ERR_HBONE_REFUSED', /status 403/],
    [new HboneStreamError('10.0.0.2:80', 'reset', 7), 'AMBIT_ERR_HBONE_STREAM', /reset/],
    [new HboneHandlerError('10.0.0.2:80', new Error('boom')), 'AMBIT_ERR_HBONE_HANDLER', /boom/],
    [new HbonePoolClosedError(), 'AMBIT_ERR_HBONE_POOL_CLOSED', /closed/],
    [new HboneServerListenError('0.0.0.0:15008', new Error('EADDRINUSE')), 'AMBIT_ERR_HBONE_LISTEN', /EADDRINUSE/],
  ])('%s has a stable code and says what failed', (error, code, message) => {
    expect(error).toBeInstanceOf(AmbitError);
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
    expect(error.name).toBe(error.constructor.name);
  });

  it('carries what a caller acts on', () => {
    expect(new HboneRefusedError('x', 401).hint).toMatch(/AuthorizationPolicy/);
    expect(new HboneRefusedError('x', 503).status).toBe(503);
    expect(new HboneTimeoutError('connect', 'x', 1).phase).toBe('connect');
    expect(new HboneStreamError('x', 'goaway', 7).http2Code).toBe(7);
  });
});

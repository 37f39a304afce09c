import { AmbitError } from '@ambit/errors';
import { describe, expect, it } from 'vitest';
import { AdminListenError } from '../src/admin/index.js';
import { IdentityNotAllowedError, NodeTokensFileError, ProxyIdentityError, UnauthenticatedCallerError } from '../src/authn/index.js';
import { CaNotStartedError, CertificateRequestTooLargeError, InvalidCertificateRequestError } from '../src/ca-stage/index.js';
import { ControlPlaneNotListeningError } from '../src/control-plane.js';

const taken = Object.assign(new Error('listen EADDRINUSE'), { code: 'EADDRINUSE' });

// Every error class of the control plane's runtime wiring: stable code, own name, a hint a person can act on.
describe.each([
  [new AdminListenError('127.0.0.1:15014', taken), 'AMBIT_ERR_CP_ADMIN_LISTEN', /127\.0\.0\.1:15014: the address is already in use/, /--admin-address/],
  [new CaNotStartedError(), 'AMBIT_ERR_CP_CA_NOT_STARTED', /has not started/, /CA first/],
  [new ProxyIdentityError('no verified client certificate'), 'AMBIT_ERR_CP_PROXY_IDENTITY', /proxy refused: no verified client certificate/, /trust domain/],
  [new ControlPlaneNotListeningError(), 'AMBIT_ERR_CP_NOT_LISTENING', /not listening/, /await start\(\)/],
  [new UnauthenticatedCallerError('the bearer token is not a node token of this control plane'), 'AMBIT_ERR_CP_UNAUTHENTICATED', /caller not authenticated: the bearer token/, /--node-tokens/],
  [new IdentityNotAllowedError('node node-a (bootstrap-token)', 'spiffe://cluster.local/ns/a/sa/b', 'no workload'), 'AMBIT_ERR_CP_IDENTITY_NOT_ALLOWED', /node node-a \(bootstrap-token\) may not obtain spiffe:\/\/cluster\.local\/ns\/a\/sa\/b: no workload/, /scheduled on it/],
  [new NodeTokensFileError('/etc/tokens.yaml', { line: 3, column: 10 }, '[0].token is missing'), 'AMBIT_ERR_CP_NODE_TOKENS', /^\/etc\/tokens\.yaml:3:10: \[0\]\.token is missing$/, /generateNodeToken/],
  [new InvalidCertificateRequestError('the CSR carries 2'), 'AMBIT_ERR_CP_CSR_INVALID', /certificate request refused: the CSR carries 2/, /only subjectAltName/],
  [new CertificateRequestTooLargeError('9000 bytes'), 'AMBIT_ERR_CP_CSR_TOO_LARGE', /certificate request refused: 9000 bytes/, /under 2 KiB/],
])('%o', (error, code, message, hint) => {
  it('has its code, name, message and hint', () => {
    expect(error).toBeInstanceOf(AmbitError);
    expect(error.code).toBe(code);
    expect(error.name).toBe(error.constructor.name);
    expect(error.message).toMatch(message);
    expect(error.hint).toMatch(hint);
  });
});

import { AmbitError } from '@ambit/errors';
import { describe, expect, it } from 'vitest';
import { AdminListenError } from '../src/admin/index.js';
import { CaNotStartedError } from '../src/ca-stage/index.js';
import { ControlPlaneNotListeningError } from '../src/control-plane.js';
import { ProxyIdentityError } from '../src/xds-stage/index.js';

const taken = Object.assign(new Error('listen EADDRINUSE'), { code: 'EADDRINUSE' });

// Every error class of the control plane's runtime wiring: stable code, own name, a hint a person can act on.
describe.each([
  [new AdminListenError('127.0.0.1:15014', taken), 'AMBIT_ERR_CP_ADMIN_LISTEN', /127\.0\.0\.1:15014: the address is already in use/, /--admin-address/],
  [new CaNotStartedError(), 'AMBIT_ERR_CP_CA_NOT_STARTED', /has not started/, /CA first/],
  [new ProxyIdentityError('no verified client certificate'), 'AMBIT_ERR_CP_PROXY_IDENTITY', /proxy refused: no verified client certificate/, /trust domain/],
  [new ControlPlaneNotListeningError(), 'AMBIT_ERR_CP_NOT_LISTENING', /not listening/, /await start\(\)/],
])('%o', (error, code, message, hint) => {
  it('has its code, name, message and hint', () => {
    expect(error).toBeInstanceOf(AmbitError);
    expect(error.code).toBe(code);
    expect(error.name).toBe(error.constructor.name);
    expect(error.message).toMatch(message);
    expect(error.hint).toMatch(hint);
  });
});

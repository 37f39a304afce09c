import { describe, expect, it } from 'vitest';
import { AmbitError } from '@ambit/errors';
import { InboundDeniedError, InboundDestinationError, InboundListenError, InboundPortError, InboundSelfCallError } from './errors.js';

const inUse = Object.assign(new Error('listen EADDRINUSE'), { code: 'EADDRINUSE' });

// Every inbound error class, its stable code, and what an HBONE client is answered.
const cases: [AmbitError & { status?: number }, string, number | undefined, RegExp][] = [
  [new InboundDestinationError('10.0.0.9:80', 'the tunnel arrived on 10.0.0.2', 400), 'AMBIT_ERR_ZTUNNEL_INBOUND_DESTINATION', 400, /to 10\.0\.0\.9:80 refused: the tunnel arrived on 10\.0\.0\.2/],
  [new InboundSelfCallError('10.0.0.2:15080'), 'AMBIT_ERR_ZTUNNEL_INBOUND_SELF_CALL', 503, /10\.0\.0\.2:15080 refused: that is one of ztunnel's own listeners/],
  [new InboundPortError('Kubernetes//Pod/demo/web', [80, 9090]), 'AMBIT_ERR_ZTUNNEL_INBOUND_PORT', 503, /it serves ports 80, 9090/],
  [new InboundPortError('Kubernetes//Pod/demo/web', []), 'AMBIT_ERR_ZTUNNEL_INBOUND_PORT', 503, /it serves no port/],
  [new InboundDeniedError('10.0.0.2:80', 'deny-policy-matched', 'demo/deny'), 'AMBIT_ERR_ZTUNNEL_INBOUND_DENIED', 401, /denied: deny-policy-matched \(policy demo\/deny\)/],
  [new InboundListenError('HBONE', '127.0.0.5:15008', inUse), 'AMBIT_ERR_ZTUNNEL_INBOUND_LISTEN', undefined, /cannot serve HBONE inbound on 127\.0\.0\.5:15008: the address is already in use/],
  [new InboundListenError('plaintext', '127.0.0.5:15006', Object.assign(new Error('wrapped'), { cause: { code: 'EADDRNOTAVAIL' } })), 'AMBIT_ERR_ZTUNNEL_INBOUND_LISTEN', undefined, /this host does not have that address/],
];

describe('inbound error classes', () => {
  it.each(cases)('%s has a stable code, an HBONE status and a message naming what is wrong', (error, code, status, message) => {
    expect(error).toBeInstanceOf(AmbitError);
    expect(error.code).toBe(code);
    expect(error.name).toBe(error.constructor.name);
    expect(error.status).toBe(status);
    expect(error.message).toMatch(message);
  });
});

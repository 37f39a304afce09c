import { AmbitError } from '@ambit/errors';
import type { ReplyCode } from './protocol.js';

/** A SOCKS5 client's handshake was refused: not SOCKS5, no acceptable method, an unsupported command or address, or too slow. */
export class Socks5HandshakeError extends AmbitError {
  /** The reply sent before closing, if one could be sent. */
  readonly reply: ReplyCode | undefined;

  constructor(reason: string, reply: ReplyCode | undefined) {
    super('AMBIT_ERR_ZTUNNEL_SOCKS5_HANDSHAKE', `SOCKS5 handshake refused: ${reason}`);
    this.reply = reply;
  }
}

/** A SOCKS5 listener cannot bind its address. */
export class Socks5ListenError extends AmbitError {
  readonly address: string;

  constructor(address: string, cause: unknown) {
    const code = (cause as NodeJS.ErrnoException | undefined)?.code;
    const reason = code === 'EADDRINUSE' ? 'the address is already in use' : code === 'EADDRNOTAVAIL' ? 'this host does not have that address' : cause instanceof Error ? cause.message : String(cause);
    super('AMBIT_ERR_ZTUNNEL_SOCKS5_LISTEN', `cannot serve SOCKS5 on ${address}: ${reason}`, {
      hint: 'in local mode each workload address must be a local address (127.0.0.0/8 works on Linux); choose another port with --socks5-port',
      cause,
    });
    this.address = address;
  }
}

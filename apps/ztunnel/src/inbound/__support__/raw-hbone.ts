import { once } from 'node:events';
import { connect as connectHttp2, type ClientHttp2Session } from 'node:http2';
import { connect as connectTls } from 'node:tls';
import type { MeshTrust, WorkloadCertificate } from '@ambit/hbone';

/** A bare HTTP/2 session over mutual TLS to an HBONE listener, to send CONNECTs a pool never would. */
export async function rawHboneSession(address: { readonly host: string; readonly port: number }, certificate: WorkloadCertificate, trust: MeshTrust): Promise<ClientHttp2Session> {
  const socket = connectTls({
    host: address.host,
    port: address.port,
    minVersion: 'TLSv1.3',
    cert: typeof certificate.certChain === 'string' ? certificate.certChain : certificate.certChain.join(''),
    key: certificate.privateKey,
    ca: trust.pem,
    ALPNProtocols: ['h2'],
    // The identity check is the pool's; this client only needs a session.
    checkServerIdentity: () => undefined,
  });
  await once(socket, 'secureConnect');
  const session = connectHttp2(`https://${address.host}:${address.port}`, { createConnection: () => socket });
  session.on('error', () => undefined);
  return session;
}

/** Sends a CONNECT with `authority` and resolves with the response status. */
export function connectStatus(session: ClientHttp2Session, authority: string): Promise<number> {
  const stream = session.request({ ':method': 'CONNECT', ':authority': authority }, { endStream: false });
  stream.on('error', () => undefined);
  return new Promise((resolve, reject) => {
    stream.once('response', (headers) => {
      resolve(Number(headers[':status']));
      stream.close();
    });
    stream.once('close', () => reject(new Error(`stream closed without a response (code ${stream.rstCode})`)));
  });
}

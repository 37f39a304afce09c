import { connect, type ClientHttp2Session } from 'node:http2';
import { DeltaDiscoveryRequest } from '../generated/envoy.service.discovery.v3.js';
import { DELTA_ADS_PATH } from '../grpc/ads-service.js';
import type { MessageInit } from '../proto/codec.js';
import type { TlsMaterial } from '../tls/material.js';

/**
 * A proxy that sends its requests and then never reads: raw HTTP/2 with a receive window
 * of zero, so the server cannot deliver a byte of its responses.
 */
export function openStalledStream(target: string, material: TlsMaterial, requests: readonly MessageInit<DeltaDiscoveryRequest>[]): ClientHttp2Session {
  const session = connect(`https://${target}`, {
    ca: [...material.trustBundle],
    cert: [...material.certChain].join('\n'),
    key: material.privateKey,
    minVersion: 'TLSv1.3',
    // The server's identity is not what this test is about.
    checkServerIdentity: () => undefined,
    settings: { initialWindowSize: 0 },
  });
  session.on('error', () => undefined);
  const stream = session.request({ ':method': 'POST', ':path': DELTA_ADS_PATH, 'content-type': 'application/grpc', te: 'trailers' });
  stream.on('error', () => undefined);
  for (const request of requests) {
    const message = DeltaDiscoveryRequest.encode(request);
    const frame = Buffer.alloc(5 + message.byteLength);
    frame.writeUInt32BE(message.byteLength, 1);
    frame.set(message, 5);
    stream.write(frame);
  }
  stream.pause();
  return session;
}

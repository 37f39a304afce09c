import { Client, type ClientDuplexStream, type StatusObject } from '@grpc/grpc-js';
import { DeltaDiscoveryRequest, DeltaDiscoveryResponse } from '../generated/envoy.service.discovery.v3.js';
import { DELTA_ADS_PATH } from '../grpc/ads-service.js';
import type { MessageInit } from '../proto/codec.js';
import { grpcChannelCredentials, XdsClientCredentials, type ClientTlsMaterial } from '../tls/client-credentials.js';
import { withTimeout } from './wait.js';

/**
 * An ADS stream driven by hand, to send the server exactly what a test needs (including
 * what a well-behaved client never would) and to look at each response.
 */
export class RawAdsStream {
  readonly #grpc: Client;
  readonly #call: ClientDuplexStream<Buffer, Buffer>;
  readonly #responses: DeltaDiscoveryResponse[] = [];
  #wake: (() => void) | undefined;
  readonly ended: Promise<StatusObject>;
  #status: StatusObject | undefined;

  constructor(target: string, material: ClientTlsMaterial, options: Record<string, number> = {}) {
    this.#grpc = new Client(target, grpcChannelCredentials(new XdsClientCredentials(material)), { 'grpc.use_local_subchannel_pool': 1, ...options });
    const identity = (bytes: Buffer): Buffer => bytes;
    this.#call = this.#grpc.makeBidiStreamRequest(DELTA_ADS_PATH, identity, identity);
    this.#call.on('data', (bytes: Buffer) => {
      this.#responses.push(DeltaDiscoveryResponse.decode(bytes));
      this.#wake?.();
    });
    this.#call.on('error', () => undefined);
    this.ended = new Promise((resolve) => {
      this.#call.on('status', (status: StatusObject) => {
        this.#status = status;
        resolve(status);
        this.#wake?.();
      });
    });
  }

  send(request: MessageInit<DeltaDiscoveryRequest>): this {
    return this.sendBytes(Buffer.from(DeltaDiscoveryRequest.encode(request)));
  }

  sendBytes(bytes: Buffer): this {
    this.#call.write(bytes);
    return this;
  }

  /** The next response; fails if the stream ends first. */
  async next(what = 'a response'): Promise<DeltaDiscoveryResponse> {
    const arrived = new Promise<void>((resolve) => {
      const check = (): void => {
        if (this.#responses.length > 0 || this.#status !== undefined) {
          this.#wake = undefined;
          resolve();
        } else this.#wake = check;
      };
      check();
    });
    await withTimeout(arrived, what);
    const response = this.#responses.shift();
    if (response === undefined) throw new Error(`stream ended with ${this.#status?.code} ${this.#status?.details} while waiting for ${what}`);
    return response;
  }

  /** ACKs `response` and returns it. */
  ack(response: DeltaDiscoveryResponse): DeltaDiscoveryResponse {
    this.send({ typeUrl: response.typeUrl, responseNonce: response.nonce });
    return response;
  }

  status(): Promise<StatusObject> {
    return withTimeout(this.ended, 'the stream to end');
  }

  close(): void {
    this.#call.cancel();
    this.#grpc.close();
  }
}

import { CertificateAuthority, createCsr, generateKeyPair, privateKeyToPem, SpiffeId } from '@ambit/crypto';
import { securityV1, watchResources, workloadV1, XdsClient, XdsClientCredentials, type ResourceUpdate } from '@ambit/xds';
import type { ListenAddress } from '../../src/config/index.js';
import { AsyncQueue } from '@ambit/test-support';

/** A certificate and key as a proxy holds them. */
export interface ProxyCertificate {
  readonly certChain: readonly string[];
  readonly privateKey: string;
}

/** Issues a proxy certificate for `identity` from `ca`, the way a node agent gets one: key made here, CSR signed there. */
export function issue(ca: CertificateAuthority, identity: string): ProxyCertificate {
  const { privateKey } = generateKeyPair();
  const id = SpiffeId.parse(identity);
  const signed = ca.sign(createCsr(privateKey, id), { identity: id });
  return { certChain: signed.certChain, privateKey: privateKeyToPem(privateKey) };
}

export interface TestProxyOptions {
  readonly address: ListenAddress;
  /** Left out: a node that has no certificate yet and proves itself with `bearerToken` (or not at all). */
  readonly certificate?: ProxyCertificate;
  /** Sent as `authorization: Bearer <token>`. */
  readonly bearerToken?: string;
  /** The roots the proxy verifies the control plane by. */
  readonly trustBundle: readonly string[];
  readonly serverIdentity: string;
  readonly nodeId: string;
  /** Reject every Address response (NACK), as a proxy that cannot apply its config does. */
  readonly rejectAddresses?: boolean;
}

/** What a proxy built with `rejectAddresses` says in its NACKs. */
export const REJECTION_MESSAGE = 'test proxy rejects every address';

/**
 * A ztunnel's xDS side, reduced to what tests look at: it subscribes to addresses and
 * authorizations with the real client and queues every update it ACKs, and keeps the
 * resources it holds.
 */
export class TestProxy {
  readonly client: XdsClient;
  readonly addressUpdates = new AsyncQueue<ResourceUpdate<workloadV1.Address>>();
  readonly authorizationUpdates = new AsyncQueue<ResourceUpdate<securityV1.Authorization>>();
  readonly addresses = new Map<string, { readonly version: string; readonly resource: workloadV1.Address }>();

  constructor(options: TestProxyOptions) {
    this.client = new XdsClient({
      target: `${options.address.host}:${options.address.port}`,
      credentials: new XdsClientCredentials({
        ...options.certificate,
        trustBundle: options.trustBundle,
        serverIdentities: [options.serverIdentity],
        ...(options.bearerToken === undefined ? {} : { bearerToken: options.bearerToken }),
      }),
      node: { id: options.nodeId, metadata: { role: 'ztunnel', node: 'node-a' } },
      resources: [
        watchResources(workloadV1.Address, (update) => {
          if (options.rejectAddresses === true) throw new Error(REJECTION_MESSAGE);
          for (const { name, version, resource } of update.upserted) this.addresses.set(name, { version, resource });
          for (const name of update.removed) this.addresses.delete(name);
          this.addressUpdates.push(update);
        }),
        watchResources(securityV1.Authorization, (update) => this.authorizationUpdates.push(update)),
      ],
      // Tests wait for events; a short backoff keeps a refused client's attempts coming.
      backoff: { initialMs: 50, maxMs: 200 },
    });
    this.client.start();
  }

  close(): void {
    this.client.close();
  }
}

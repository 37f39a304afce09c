/** One listener on one address of a local workload: what the listener set opens, follows and drains. */
export interface LocalListener {
  /** The bound address; undefined until listening. */
  readonly address: { readonly host: string; readonly port: number } | undefined;
  /** Binds; rejects with the listener's own error (naming the address and what to do) when it cannot. */
  listen(): Promise<void>;
  /** Stops accepting; open connections may go on until `deadline` (ms since epoch), then are cut. */
  close(deadline: number): Promise<void>;
}

/** The workload address a listener is opened for. */
export interface LocalAddress {
  readonly workloadUid: string;
  /** Canonical IP text, as the state holds it. */
  readonly ip: string;
  /**
   * In-pod capture: the path of the pod's network namespace, where the listener is
   * opened and where its connections to the workload leave from. Undefined in local
   * mode (the host's own namespace).
   */
  readonly netns?: string;
}

/**
 * One kind of per-workload listener (SOCKS5 entry, HBONE inbound, plaintext inbound):
 * its name in logs and in the admin dump, and how to make one for an address.
 */
export interface LocalListenerKind {
  readonly name: string;
  /** A new, not yet bound, listener for `address`. */
  create(address: LocalAddress): LocalListener;
}

/**
 * The numbers in-pod capture is made of, Istio's (istio-cni `InpodMark`, `InpodTProxyMark`,
 * `RouteTableInbound`; ztunnel's packet mark): keeping them lets the rules read like
 * Istio's to anyone who debugs them.
 */
export const CAPTURE = Object.freeze({
  /** SO_MARK on every socket ztunnel opens inside a pod: its own traffic, never redirected. */
  proxyMark: 0x539,
  /** Connection mark of ztunnel's connections into the pod, so that replies go back to its transparent socket. */
  tproxyMark: 0x111,
  markMask: 0xfff,
  routeTable: 100,
  rulePriority: 32764,
  /** Transparent outbound: the pod's outgoing TCP is redirected here. */
  outboundPort: 15001,
  /** Plaintext inbound: incoming TCP not for 15008 is redirected here. */
  plaintextPort: 15006,
  /** HBONE inbound: reached directly, never redirected. */
  hbonePort: 15008,
});

/** The chains ztunnel owns in a pod's mangle and nat tables (Istio's ISTIO_PRERT / ISTIO_OUTPUT). */
export const CHAINS = Object.freeze({ prerouting: 'AMBIT_PRERT', output: 'AMBIT_OUTPUT' });

/**
 * The control plane's own certificate, as the CA stage publishes it: what the xDS server
 * presents, and the roots it trusts clients by. PEM throughout, the shape the TLS
 * credentials of `@ambit/xds` take.
 */
export interface ServingCertificate {
  /** The SPIFFE ID the certificate carries. */
  readonly identity: string;
  /** Leaf first, root last. */
  readonly certChain: readonly string[];
  readonly privateKey: string;
  /** The mesh's roots: every proxy certificate chains to one of them. */
  readonly trustBundle: readonly string[];
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly serialNumber: string;
}

export type ServingCertificateListener = (certificate: ServingCertificate) => void;

/** Read side of the CA stage for the stages that serve TLS: the current certificate and its renewals. */
export interface ServingCertificateSource {
  /** The certificate in force; throws before the CA stage has started. */
  current(): ServingCertificate;
  /** Calls `listener` with every renewed certificate; returns the function that stops it. */
  subscribe(listener: ServingCertificateListener): () => void;
}

import { AmbitError } from '@ambit/errors';
import { GrpcStatus } from '@ambit/xds';

/**
 * Why a caller of the xDS or CA service is refused. Each carries the gRPC status the
 * caller receives as `grpcCode` (the xDS library sends it as is); no message ever
 * contains a token.
 */

/** The caller proved no identity: no verified certificate, or a token that is missing, malformed, unknown, expired or forged. */
export class UnauthenticatedCallerError extends AmbitError {
  readonly grpcCode = GrpcStatus.UNAUTHENTICATED;

  constructor(reason: string, cause?: unknown) {
    super('AMBIT_ERR_CP_UNAUTHENTICATED', `caller not authenticated: ${reason}`, {
      hint: 'a node sends its token as "authorization: Bearer <token>" (local mode: a token of the --node-tokens file); a proxy with a mesh certificate presents it',
      cause,
    });
  }
}

/** A verified certificate that does not carry exactly one SPIFFE ID of the mesh's trust domain. */
export class ProxyIdentityError extends AmbitError {
  readonly grpcCode = GrpcStatus.PERMISSION_DENIED;

  constructor(reason: string, cause?: unknown) {
    super('AMBIT_ERR_CP_PROXY_IDENTITY', `proxy refused: ${reason}`, {
      hint: "give the proxy a certificate issued by this mesh's CA for an identity in its trust domain",
      cause,
    });
  }
}

/** An authenticated caller asked for an identity it may not have (node authorization). */
export class IdentityNotAllowedError extends AmbitError {
  readonly grpcCode = GrpcStatus.PERMISSION_DENIED;

  constructor(caller: string, identity: string, reason: string) {
    super('AMBIT_ERR_CP_IDENTITY_NOT_ALLOWED', `${caller} may not obtain ${identity}: ${reason}`, {
      hint: 'a node may obtain the identities of workloads scheduled on it (pod spec.nodeName, spec.serviceAccountName); a waypoint or gateway only its own',
    });
  }
}

/** The --node-tokens file cannot be used; start-up fails. Names the file, and the line and column of a bad entry. */
export class NodeTokensFileError extends AmbitError {
  readonly file: string;

  constructor(file: string, where: { readonly line: number; readonly column: number } | undefined, reason: string, cause?: unknown) {
    const at = where === undefined ? file : `${file}:${where.line}:${where.column}`;
    super('AMBIT_ERR_CP_NODE_TOKENS', `${at}: ${reason}`, {
      hint: 'the file lists entries "- node: <node name>", "token: <at least 32 characters>", optional "expires: <RFC 3339 time>"; generate tokens with generateNodeToken()',
      cause,
    });
    this.file = file;
  }
}

/** A proxy authenticated as one node names another in its xDS node metadata. */
export class NodeClaimError extends AmbitError {
  readonly grpcCode = GrpcStatus.PERMISSION_DENIED;

  constructor(claimed: string, proven: string) {
    super('AMBIT_ERR_CP_NODE_CLAIM', `proxy refused: its node metadata names node ${JSON.stringify(claimed)}, but its token is for node ${JSON.stringify(proven)}`, {
      hint: "start the ztunnel with the --node-name its token was issued for",
    });
  }
}

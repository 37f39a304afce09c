/**
 * What the API server answers with a Status object: these errors carry the HTTP code and
 * the `reason` Kubernetes gives, so that the server can answer any of them the same way.
 * They describe a bad request to the stand-in, not a bug in it.
 */
export class StatusError extends Error {
  readonly code: number;
  readonly reason: string;

  constructor(code: number, reason: string, message: string) {
    super(message);
    this.name = 'StatusError';
    this.code = code;
    this.reason = reason;
  }

  /** The `Status` object the API server sends for this error. */
  toStatus(): KubeStatus {
    return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: this.message, reason: this.reason, code: this.code };
  }
}

export interface KubeStatus {
  readonly kind: 'Status';
  readonly apiVersion: 'v1';
  readonly metadata: Record<string, never>;
  readonly status: 'Failure';
  readonly message: string;
  readonly reason: string;
  readonly code: number;
}

export class BadRequestError extends StatusError {
  constructor(message: string) {
    super(400, 'BadRequest', message);
  }
}

export class NotFoundError extends StatusError {
  constructor(message: string) {
    super(404, 'NotFound', message);
  }
}

export class ConflictError extends StatusError {
  constructor(message: string) {
    super(409, 'AlreadyExists', message);
  }
}

/** A resource version older than the compacted history: the client must list again. */
export class GoneError extends StatusError {
  constructor(message: string) {
    super(410, 'Expired', message);
  }
}

/** Envoy's default max_request_headers_kb: 60 KiB of headers, in either direction. */
export const DEFAULT_MAX_HEADER_BYTES = 60 * 1024;

/** Envoy's retry buffer: request bodies up to this size can be retried. */
export const DEFAULT_RETRY_BUFFER_BYTES = 64 * 1024;

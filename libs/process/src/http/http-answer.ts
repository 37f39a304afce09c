/** What one path answers. */
export interface HttpAnswer {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

/** Computes one path's answer when asked; `query` is the request's query string, for endpoints that take options. */
export type HttpHandler = (query: URLSearchParams) => HttpAnswer | Promise<HttpAnswer>;

export const TEXT_TYPE = 'text/plain; charset=utf-8';
export const JSON_TYPE = 'application/json; charset=utf-8';

export function jsonAnswer(value: unknown): HttpAnswer {
  return { status: 200, contentType: JSON_TYPE, body: `${JSON.stringify(value, null, 2)}\n` };
}

export function textAnswer(status: number, body: string): HttpAnswer {
  return { status, contentType: TEXT_TYPE, body };
}

/**
 * The few ways mmash answers: JSON, text, errors as JSON, always with the security headers.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Headers on every response. The page runs only scripts and styles served by mmash itself
 * (no inline script, nothing from elsewhere: the dashboard works offline and an injected
 * label cannot run code), cannot be framed, and no response is sniffed into another type.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/** A request mmash refuses, with the status and message to send back. */
export class HttpError extends Error {
  /** The HTTP status, e.g. 400. */
  readonly status: number;
  /** Extra headers, e.g. `Allow` for a 405. */
  readonly headers: Readonly<Record<string, string>>;

  /**
   * @param status - the HTTP status
   * @param message - what was wrong, for the JSON body's `error`
   * @param headers - extra response headers; default none
   */
  constructor(status: number, message: string, headers: Readonly<Record<string, string>> = {}) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
    this.headers = headers;
  }
}

/** Sends `body` with `status`, the security headers and `headers`; no body for `HEAD`. */
export function send(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  headers: Readonly<Record<string, string>>,
  body: string | Uint8Array,
): void {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  res.writeHead(status, { ...SECURITY_HEADERS, ...headers, 'Content-Length': String(bytes.byteLength) });
  res.end(req.method === 'HEAD' ? undefined : bytes);
}

/** Sends `value` as pretty-printed JSON, never cached (the values are live). */
export function sendJson(req: IncomingMessage, res: ServerResponse, status: number, value: unknown, headers: Readonly<Record<string, string>> = {}): void {
  send(req, res, status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...headers }, `${JSON.stringify(value, null, 2)}\n`);
}

/** Sends `{"error": message, "status": status}`. */
export function sendError(req: IncomingMessage, res: ServerResponse, error: HttpError): void {
  sendJson(req, res, error.status, { error: error.message, status: error.status }, error.headers);
}

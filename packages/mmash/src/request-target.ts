/**
 * The request target (`/path?query`), split and bounded before any route looks at it: no
 * request may make mmash do work out of proportion to what it asks for.
 *
 * @module
 */
import { HttpError } from './http-responses.js';

/** The longest request target accepted, in characters; longer ones get a 414. */
export const MAX_TARGET_LENGTH = 8192;
/** The most query parameters a request may have (`/events` takes up to 100 `stat`s and a few more). */
export const MAX_QUERY_PARAMETERS = 128;
/** The longest stat prefix or label a request may name, in characters (after percent-decoding). */
export const MAX_LABEL_LENGTH = 1024;

/** A request target, split. */
export interface RequestTarget {
  /** The path, raw (not decoded: routes decode their own part). */
  readonly path: string;
  /** The query. */
  readonly params: URLSearchParams;
}

/**
 * Splits an origin-form request target (`/path?query`; a proxy's absolute form is not for us).
 *
 * @throws HttpError 414 beyond {@link MAX_TARGET_LENGTH} characters, 400 for a target that is
 *   not a path or has more than {@link MAX_QUERY_PARAMETERS} parameters
 */
export function splitTarget(target: string): RequestTarget {
  if (target.length > MAX_TARGET_LENGTH) throw new HttpError(414, `the request target is longer than ${MAX_TARGET_LENGTH} characters`);
  if (!target.startsWith('/')) throw new HttpError(400, 'the request target must be a path');
  const q = target.indexOf('?');
  if (q < 0) return { path: target, params: new URLSearchParams() };
  const query = target.slice(q + 1);
  // Counted before parsing, so that a flood of "&&&" is refused without building anything.
  let separators = 0;
  for (let i = query.indexOf('&'); i >= 0 && separators < MAX_QUERY_PARAMETERS; i = query.indexOf('&', i + 1)) separators++;
  if (separators >= MAX_QUERY_PARAMETERS) throw new HttpError(400, `a request may have at most ${MAX_QUERY_PARAMETERS} query parameters`);
  return { path: target.slice(0, q), params: new URLSearchParams(query) };
}

/**
 * Percent-decodes one part of the path.
 *
 * @param what - what the part is, for the message (`"stat prefix"`, `"glob"`)
 * @throws HttpError 400 when it is not valid percent-encoded UTF-8
 */
export function decodeSegment(raw: string, what: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new HttpError(400, `the ${what} is not valid percent-encoded UTF-8`);
  }
}

/**
 * Checks a stat prefix or label from a request.
 *
 * @param what - what it is, for the message (`"stat prefix"`, `"stat"`)
 * @throws HttpError 400 beyond {@link MAX_LABEL_LENGTH} characters
 */
export function checkLabel(label: string, what: string): string {
  if (label.length > MAX_LABEL_LENGTH) throw new HttpError(400, `the ${what} is longer than ${MAX_LABEL_LENGTH} characters`);
  return label;
}

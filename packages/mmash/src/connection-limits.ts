/**
 * Bounds on connections, so that idle or slow clients cannot use up mmash's file descriptors
 * and keep real requests out: a connection that says nothing is closed after a few seconds,
 * and when the limit is reached the connection idle longest makes room for the new one.
 *
 * @module
 */
import type { Server } from 'node:http';
import type { Socket } from 'node:net';

/** The bounds; every field has a default (see {@link DEFAULT_CONNECTION_LIMITS}). */
export interface ConnectionLimits {
  /**
   * The most connections open at once. At the limit, a new connection closes the one idle
   * longest (no request in progress); when every connection is busy, the new one is closed.
   * Keep it below the descriptor limit (`ulimit -n`) less a margin for the reader (which keeps
   * at most 16 stats files open between reads) and the server itself.
   */
  readonly maxConnections: number;
  /**
   * Milliseconds a client has to send a whole request, from when it connects or starts the
   * request; a connection that has sent nothing by then is closed, a request not received
   * in time gets a 408.
   */
  readonly requestTimeoutMs: number;
  /** Milliseconds an idle keep-alive connection stays open between requests. */
  readonly keepAliveTimeoutMs: number;
}

/** `maxConnections` 1000, `requestTimeoutMs` 5000, `keepAliveTimeoutMs` 5000. */
export const DEFAULT_CONNECTION_LIMITS: ConnectionLimits = { maxConnections: 1000, requestTimeoutMs: 5000, keepAliveTimeoutMs: 5000 };

/** How often Node checks for requests past their timeout, in milliseconds (Node's default: 30 s). */
export const CONNECTIONS_CHECKING_INTERVAL_MS = 1000;

/**
 * Applies `limits` to `server`, which must have been created with `connectionsCheckingInterval`
 * of {@link CONNECTIONS_CHECKING_INTERVAL_MS} for the request timeout to be timely.
 */
export function limitConnections(server: Server, limits: ConnectionLimits): void {
  server.headersTimeout = limits.requestTimeoutMs;
  server.requestTimeout = limits.requestTimeoutMs;
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  // Open connections, idle longest first (a Set keeps insertion order; a connection moves to
  // the end when a request on it ends), and those with a request in progress.
  const open = new Set<Socket>();
  const busy = new Set<Socket>();

  server.on('connection', (socket: Socket) => {
    if (open.size >= limits.maxConnections && !closeOldestIdle(open, busy)) {
      socket.destroy();
      return;
    }
    open.add(socket);
    // Node times out requests once they have begun (a 408 for one not received in time), not a
    // connection that never sends a byte.
    const silence = setTimeout(() => {
      if (socket.bytesRead === 0) socket.destroy();
    }, limits.requestTimeoutMs);
    silence.unref();
    socket.once('close', () => {
      clearTimeout(silence);
      open.delete(socket);
      busy.delete(socket);
    });
  });
  server.on('request', (req, res) => {
    const socket = req.socket;
    busy.add(socket);
    res.once('close', () => {
      busy.delete(socket);
      if (open.delete(socket)) open.add(socket); // idle from now: last in line to be closed
    });
  });
}

/** Closes the open connection idle longest (no request in progress); `false` when there is none. */
function closeOldestIdle(open: Set<Socket>, busy: Set<Socket>): boolean {
  for (const socket of open) {
    if (busy.has(socket)) continue;
    open.delete(socket);
    socket.destroy();
    return true;
  }
  return false;
}

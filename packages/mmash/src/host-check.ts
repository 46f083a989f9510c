/**
 * Which `Host` a request may name. A web page on another site can make a browser send
 * requests to 127.0.0.1 under a name of the attacker's that resolves there (DNS rebinding);
 * the browser then lets the page read the answers, because it takes them for the attacker's
 * own site. Such requests carry the attacker's name in `Host`, so mmash answers only requests
 * that name the address they arrived on (or a name it was told to accept), and a `421
 * Misdirected Request` to anything else.
 *
 * @module
 */
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';

/** Names of the loopback interface that every machine gives them. */
const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '::1'];

/**
 * Builds the check of a request's `Host` header. A request is accepted when its `Host` is:
 * - `localhost`, `127.0.0.1`, `[::1]` or the address the connection arrived on, with the port
 *   it arrived on (no port means 80);
 * - or one of `allowHosts` (a host name or address, any port: for a name mmash is reached by
 *   through a proxy, or the machine's name when it listens on the network).
 * Names are compared without case and without a trailing dot.
 *
 * @param allowHosts - names accepted besides the listening addresses; default none
 * @returns a function giving why the request is refused, or `undefined` when it is accepted
 */
export function hostCheck(allowHosts: readonly string[] = []): (req: IncomingMessage) => string | undefined {
  const allowed = new Set(allowHosts.map((name) => normalName(name.startsWith('[') && name.endsWith(']') ? name.slice(1, -1) : name)));
  return (req) => {
    const header = req.headers.host;
    if (header === undefined || header === '') return 'a Host header is required';
    const host = parseHost(header);
    if (host === undefined) return 'the Host header is malformed';
    if (allowed.has(host.name)) return undefined;
    const local = req.socket.localAddress;
    const isLocalName = LOOPBACK_NAMES.includes(host.name) || (local !== undefined && host.name === normalName(unmapped(local)));
    if (isLocalName && host.port === req.socket.localPort) return undefined;
    return `mmash does not answer for host ${JSON.stringify(header.slice(0, 100))}; use the address it listens on, or start it with --allow-host NAME`;
  };
}

/** A `Host` header's name (brackets of an IPv6 address removed) and port. */
function parseHost(header: string): { name: string; port: number } | undefined {
  const match = /^(?:\[([0-9A-Fa-f:.]+)\]|([^\s:[\]/@]+))(?::(\d{1,5}))?$/.exec(header);
  if (match === null) return undefined;
  const name = match[1] ?? match[2]!;
  if (match[1] !== undefined && isIP(name) !== 6) return undefined;
  return { name: normalName(name), port: match[3] === undefined ? 80 : Number(match[3]) };
}

function normalName(name: string): string {
  const lower = name.toLowerCase();
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

/** `::ffff:127.0.0.1` (an IPv4 connection to a socket bound to `::`) as `127.0.0.1`. */
function unmapped(address: string): string {
  return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}

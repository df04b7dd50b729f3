// ipaddr.js rather than proxy-addr: proxy-addr resolves from a node:http `req` and knows only
// X-Forwarded-For, while we need plain IP/CIDR parsing and matching for rr's remote_addr, X-Forwarded-For
// and RFC 7239 `Forwarded`. ipaddr.js is what proxy-addr itself is built on: maintained, no dependencies,
// IPv6 and IPv4-mapped addresses handled.
import ipaddr from 'ipaddr.js';

/** A parsed IP address (ipaddr.js). */
export type IpAddress = ipaddr.IPv4 | ipaddr.IPv6;

const PORT = /^\d{1,5}$/;

/**
 * Parses one hop of a forwarding header (`203.0.113.7`, `203.0.113.7:4711`, `2001:db8::1`,
 * `[2001:db8::1]:4711`, quoted or not) into an address; an IPv4-mapped IPv6 address becomes IPv4.
 * Anything else (`unknown`, an obfuscated `_id`, `127.1`, garbage) gives `undefined`: never throws.
 */
export function parseHopAddress(raw: string): IpAddress | undefined {
  let value = raw.trim();
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1).trim();
  if (value.startsWith('[')) {
    const end = value.indexOf(']');
    if (end < 0) return undefined;
    const rest = value.slice(end + 1);
    if (rest !== '' && !(rest.startsWith(':') && PORT.test(rest.slice(1)))) return undefined;
    return parseIpv6(value.slice(1, end));
  }
  const colon = value.indexOf(':');
  if (colon >= 0 && colon === value.lastIndexOf(':')) {
    // One colon: IPv4 with a port (an IPv6 address has at least two).
    if (!PORT.test(value.slice(colon + 1))) return undefined;
    value = value.slice(0, colon);
  }
  // Only dotted quads: ipaddr also accepts `127.1` or `0x7f.1`, which no proxy writes.
  if (ipaddr.IPv4.isValidFourPartDecimal(value)) return ipaddr.IPv4.parse(value);
  return parseIpv6(value);
}

function parseIpv6(value: string): IpAddress | undefined {
  if (!ipaddr.IPv6.isValid(value)) return undefined;
  const address = ipaddr.IPv6.parse(value);
  return address.isIPv4MappedAddress() ? address.toIPv4Address() : address;
}

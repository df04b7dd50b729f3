// Ours, for a stated reason: proxy-addr (see trusted-proxies.ts) matches bare IP strings, while a
// hop in X-Forwarded-For or in a `Forwarded` `for=` may carry a port, brackets or quotes (RFC 7239
// §6), and must be a dotted quad when IPv4: ipaddr.js, under proxy-addr too, also reads `127.1`.
import type IpAddr from 'ipaddr.js';
import { lazyModule } from '../../../runtime/lazy-module.js';

/** ipaddr.js, loaded when a hop is first parsed or trusted proxies are configured (see `lazyModule`). */
export const ipaddr = lazyModule<typeof IpAddr>('ipaddr.js');

/** A parsed IP address (ipaddr.js). */
export type IpAddress = IpAddr.IPv4 | IpAddr.IPv6;

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
  if (ipaddr().IPv4.isValidFourPartDecimal(value)) return ipaddr().IPv4.parse(value);
  return parseIpv6(value);
}

function parseIpv6(value: string): IpAddress | undefined {
  if (!ipaddr().IPv6.isValid(value)) return undefined;
  const address = ipaddr().IPv6.parse(value);
  return address.isIPv4MappedAddress() ? address.toIPv4Address() : address;
}

// The trusted-proxy list is read and checked by proxy-addr (Fastify's @fastify/proxy-addr, built
// on the ipaddr.js we use too): what it refuses, we refuse. What is ours, for stated reasons:
// - matching a hop against that list (`matchRanges`, proxy-addr's own algorithm over ipaddr.js):
//   proxy-addr's trust function takes a string and parses it again, while every hop here is
//   already parsed (it may carry a port, brackets or quotes, which proxy-addr cannot read); the
//   second parse made each resolve with a two-hop chain ~40% slower (bench/support/plumbing-app.ts);
// - `REMOTE_ADDR`, the direct peer of each request, trusted on top of the list (proxy-addr compiles
//   a fixed list once);
// - the walk through the hops, because proxy-addr reads only X-Forwarded-For, only from a node:http
//   `req`, and returns an entry it cannot parse as the client where Symfony, whose settings these
//   mirror, skips it; and scheme, host and port, which proxy-addr does not read at all.
import { lazyModule } from '../../../runtime/lazy-module.js';
import { HttpRequestOptionsError } from '../errors.js';
import { parseForwardedHeader, type ForwardedElement } from './parse-forwarded-header.js';
import type IpAddr from 'ipaddr.js';
import { ipaddr, parseHopAddress, type IpAddress } from './parse-hop-address.js';

/** Loaded when trusted proxies are configured (see `lazyModule`). */
const proxyAddr = lazyModule<typeof import('@fastify/proxy-addr')>('@fastify/proxy-addr');

/** A forwarding header that can be trusted (`trusted_headers`). */
export type TrustedHeader = 'x-forwarded-for' | 'x-forwarded-proto' | 'x-forwarded-host' | 'x-forwarded-port' | 'forwarded';

const TRUSTED_HEADERS: readonly TrustedHeader[] = ['x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host', 'x-forwarded-port', 'forwarded'];

/** Symfony's default: the host is not taken from a proxy unless asked (a forged host poisons absolute URLs). */
export const DEFAULT_TRUSTED_HEADERS: readonly TrustedHeader[] = ['x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-port'];

/** `private_ranges`: RFC 1918, loopback and link-local IPv4; loopback, unique-local (ULA) and link-local IPv6. */
export const PRIVATE_RANGES: readonly string[] = [
  '10.0.0.0/8',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '127.0.0.0/8',
  '169.254.0.0/16',
  '::1/128',
  'fc00::/7',
  'fe80::/10',
];

/** Options mirroring Symfony's `framework.trusted_proxies` and `framework.trusted_headers`. */
export interface TrustedProxyOptions {
  /**
   * `trusted_proxies`: the peers whose forwarding headers are believed. A list, or one string with
   * comma-separated entries (handy from an env var). Each entry is:
   * - an IP (`10.0.0.5`, `::1`) or a CIDR (`10.0.0.0/8`, `2001:db8::/32`);
   * - `private_ranges`: every RFC 1918, loopback and link-local address (see {@link PRIVATE_RANGES});
   * - `REMOTE_ADDR`: the direct peer, whoever it is, re-read from every request. This is the fix
   *   for the PHP bundle's pitfall, where Symfony replaced `REMOTE_ADDR` once at boot, when there
   *   was no request, so the setting trusted nothing (or whatever the boot saw) ever after. Use it
   *   only when every request really comes through your proxy (the app port is not reachable).
   * Default: none, so forwarding headers are ignored.
   */
  trustedProxies?: string | readonly string[];
  /**
   * `trusted_headers`: which forwarding headers a trusted proxy may set, among `x-forwarded-for`,
   * `x-forwarded-proto`, `x-forwarded-host`, `x-forwarded-port` and `forwarded` (RFC 7239). Trust
   * only headers your proxy sets or overwrites: a header it passes through is the client's.
   * Default {@link DEFAULT_TRUSTED_HEADERS} (Symfony's): for, proto and port, not host.
   */
  trustedHeaders?: readonly TrustedHeader[];
}

/** What the trusted proxies say about one request. */
export interface ProxyResolution {
  /** The client's address (normalised), or the peer's when no trusted header says otherwise. */
  clientAddress: string;
  /** True when the peer is trusted, so forwarding headers were applied. */
  fromTrustedProxy: boolean;
  /** The request URL with scheme, host and port as the client used them: the given URL itself when the peer is untrusted, else a corrected copy. */
  url: URL;
}

/** Whether a parsed address is in the trusted ranges. */
type Trust = (address: IpAddress) => boolean;

const EXPECTED_PROXY = 'an IP, a CIDR, "private_ranges" or "REMOTE_ADDR"';

/**
 * Validated trusted-proxy settings. Built once from options (which it checks, throwing
 * {@link HttpRequestOptionsError} naming the bad value), then {@link resolve} answers per request
 * from that request alone: no state is kept between requests.
 */
export class TrustedProxies {
  private readonly trust: Trust | undefined;
  private readonly trustPeer: boolean;
  private readonly headers: ReadonlySet<TrustedHeader>;

  private constructor(trust: Trust | undefined, trustPeer: boolean, headers: ReadonlySet<TrustedHeader>) {
    this.trust = trust;
    this.trustPeer = trustPeer;
    this.headers = headers;
  }

  /** Validates the options. */
  static from(options: TrustedProxyOptions = {}): TrustedProxies {
    const entries = listOf(options.trustedProxies);
    const ranges: string[] = [];
    let trustPeer = false;
    entries.forEach((entry, index) => {
      const path = `trustedProxies[${index}]`;
      if (typeof entry !== 'string') throw new HttpRequestOptionsError(path, entry, EXPECTED_PROXY);
      const value = entry.trim();
      if (value.toUpperCase() === 'REMOTE_ADDR') trustPeer = true;
      else if (value.toLowerCase() === 'private_ranges') ranges.push(...PRIVATE_RANGES);
      else ranges.push(...checkRange(value, path));
    });

    const headerList: unknown = options.trustedHeaders ?? DEFAULT_TRUSTED_HEADERS;
    if (!Array.isArray(headerList)) throw new HttpRequestOptionsError('trustedHeaders', headerList, `a list of ${TRUSTED_HEADERS.join(', ')}`);
    const headers = new Set<TrustedHeader>();
    headerList.forEach((header: unknown, index) => {
      const name = typeof header === 'string' ? header.trim().toLowerCase() : header;
      if (!TRUSTED_HEADERS.includes(name as TrustedHeader)) {
        throw new HttpRequestOptionsError(`trustedHeaders[${index}]`, header, `one of ${TRUSTED_HEADERS.join(', ')}`);
      }
      headers.add(name as TrustedHeader);
    });
    return new TrustedProxies(ranges.length === 0 ? undefined : matchRanges(ranges), trustPeer, headers);
  }

  /**
   * Resolves the client address and the URL the client used. `peer` is rr's `remote_addr`,
   * `headers` the request headers, `url` rr's URL (not modified). Headers from an untrusted peer
   * are ignored entirely; malformed values are skipped, never thrown.
   *
   * The client address walks the forwarded chain right to left (`X-Forwarded-For` or the `for=`
   * of each `Forwarded` element, then the peer), skipping trusted hops and unparseable entries;
   * the first untrusted hop is the client, and when every hop is trusted the leftmost one is. If
   * both `forwarded` and `x-forwarded-for` are trusted, present and disagree, neither is believed
   * (a client forged one of them) and the peer's address is used, where Symfony would throw.
   * Scheme and host come from the first `Forwarded` element that has them, else from the first
   * value of `X-Forwarded-Proto`/`-Host`; the port from `X-Forwarded-Port`, else from the
   * forwarded host (its default for the scheme when the host has none), else rr's.
   */
  resolve(peer: string, headers: Headers, url: URL): ProxyResolution {
    const peerAddress = parseHopAddress(peer);
    const peerString = peerAddress?.toString() ?? peer;
    if (!(this.trustPeer || (peerAddress !== undefined && this.trusts(peerAddress, undefined)))) {
      return { clientAddress: peerString, fromTrustedProxy: false, url };
    }

    const forwarded = this.read(headers, 'forwarded');
    const elements: ForwardedElement[] = forwarded === null ? [] : parseForwardedHeader(forwarded);
    const forwardedFor = this.read(headers, 'x-forwarded-for');

    const viaForwarded = forwarded === null ? undefined : this.walk(elements.map((element) => element.for ?? ''), peerAddress);
    const viaXff = forwardedFor === null ? undefined : this.walk(forwardedFor.split(','), peerAddress);
    let client = viaForwarded ?? viaXff;
    if (viaForwarded !== undefined && viaXff !== undefined && viaForwarded !== viaXff) client = undefined;

    const corrected = new URL(url);
    const proto = normaliseProto(elements.find((element) => element.proto !== undefined)?.proto ?? firstValue(this.read(headers, 'x-forwarded-proto')));
    if (proto !== undefined) corrected.protocol = `${proto}:`;
    const host = parseHost(elements.find((element) => element.host !== undefined)?.host ?? firstValue(this.read(headers, 'x-forwarded-host')));
    if (host !== undefined) {
      corrected.hostname = host.hostname;
      corrected.port = host.port ?? '';
    }
    const port = parsePort(firstValue(this.read(headers, 'x-forwarded-port')));
    if (port !== undefined) corrected.port = port;

    return { clientAddress: client ?? peerString, fromTrustedProxy: true, url: corrected };
  }

  /** The header's value when it is trusted and present, else null. */
  private read(headers: Headers, name: TrustedHeader): string | null {
    return this.headers.has(name) ? headers.get(name) : null;
  }

  /** Right to left through the hops: the first untrusted one is the client; all trusted gives the leftmost. */
  private walk(hops: readonly string[], peer: IpAddress | undefined): string | undefined {
    let leftmost: IpAddress | undefined;
    for (let index = hops.length - 1; index >= 0; index--) {
      const hop = parseHopAddress(hops[index]!);
      if (hop === undefined) continue;
      if (!this.trusts(hop, peer)) return hop.toString();
      leftmost = hop;
    }
    return leftmost?.toString();
  }

  private trusts(address: IpAddress, peer: IpAddress | undefined): boolean {
    // With REMOTE_ADDR the peer's own address is trusted wherever it appears, as Symfony does once it substituted it.
    if (this.trustPeer && peer !== undefined && peer.kind() === address.kind() && peer.toString() === address.toString()) return true;
    return this.trust !== undefined && this.trust(address);
  }
}

function listOf(value: string | readonly string[] | undefined): readonly unknown[] {
  if (value === undefined) return [];
  if (typeof value === 'string') return value.split(',').filter((entry) => entry.trim() !== '');
  if (!Array.isArray(value)) throw new HttpRequestOptionsError('trustedProxies', value, 'a list of IPs or CIDRs, or a comma-separated string');
  return value;
}

/**
 * The matcher for ranges proxy-addr accepted (`IP`, `IP/prefix` or `IP/netmask`): proxy-addr's
 * `trustMulti` (@fastify/proxy-addr 5), rule for rule, over addresses parsed once. An
 * IPv4-mapped candidate is compared as IPv4; an IPv4 candidate reaches an IPv6 range only when
 * the range is an IPv4-mapped one whose prefix covers the `::ffff:` marker; a native IPv6
 * candidate never matches an IPv4-mapped range; zone ids must agree.
 */
function matchRanges(ranges: readonly string[]): Trust {
  const subnets = ranges.map(parseRange);
  return (address) => {
    let candidate = address;
    if (candidate.kind() === 'ipv6' && (candidate as IpAddr.IPv6).isIPv4MappedAddress()) candidate = (candidate as IpAddr.IPv6).toIPv4Address();
    const kind = candidate.kind();
    let mapped: IpAddr.IPv6 | undefined;
    for (const [subnet, bits] of subnets) {
      let trusted: IpAddress = candidate;
      if (kind !== subnet.kind()) {
        // Candidates are IPv4 or native IPv6 here: only IPv4 against a mapped IPv6 range can match.
        if (subnet.kind() === 'ipv4') continue;
        if (!(bits >= 96 && (subnet as IpAddr.IPv6).isIPv4MappedAddress())) continue;
        mapped ??= (candidate as IpAddr.IPv4).toIPv4MappedAddress();
        trusted = mapped;
      } else if (kind === 'ipv6' && (subnet as IpAddr.IPv6).isIPv4MappedAddress()) continue;
      const zone = (subnet as Partial<IpAddr.IPv6>).zoneId;
      if (zone && zone !== (trusted as Partial<IpAddr.IPv6>).zoneId) continue;
      if (trusted.match(subnet, bits)) return true;
    }
    return false;
  };
}

/** One range as proxy-addr's `parseipNotation` reads it (the value was already accepted by proxy-addr). */
function parseRange(value: string): [IpAddress, number] {
  const lib = ipaddr();
  const slash = value.lastIndexOf('/');
  let address: IpAddress = lib.parse(slash < 0 ? value : value.slice(0, slash));
  if (slash < 0 && address.kind() === 'ipv6' && (address as IpAddr.IPv6).isIPv4MappedAddress()) address = (address as IpAddr.IPv6).toIPv4Address();
  const max = address.kind() === 'ipv6' ? 128 : 32;
  if (slash < 0) return [address, max];
  const notation = value.slice(slash + 1);
  const bits = /^\d+$/.test(notation) ? Number.parseInt(notation, 10) : lib.IPv4.parse(notation).prefixLengthFromSubnetMask();
  if (bits === null || !(bits > 0 && bits <= max)) throw new TypeError(`invalid range on address: ${value}`);
  return [address, bits];
}

/** proxy-addr refuses a /0, which Symfony reads as every address of the family: two halves say the same. */
const WHOLE_FAMILY: Readonly<Record<'ipv4' | 'ipv6', readonly string[]>> = { ipv4: ['0.0.0.0/1', '128.0.0.0/1'], ipv6: ['::/1', '8000::/1'] };

/** The proxy-addr ranges for one `trustedProxies` entry (an IP or a CIDR), checked by proxy-addr itself. */
function checkRange(value: string, path: string): readonly string[] {
  const slash = value.indexOf('/');
  const address = slash < 0 ? value : value.slice(0, slash);
  try {
    // Only dotted quads: ipaddr.js also reads `127.1` or `0x7f.1`, which nobody means as a proxy's address.
    if (!address.includes(':') && !ipaddr().IPv4.isValidFourPartDecimal(address)) throw new Error(`${address} is not a dotted-quad IPv4 address`);
    if (slash >= 0 && /^0+$/.test(value.slice(slash + 1))) return WHOLE_FAMILY[ipaddr().parse(address).kind()];
    proxyAddr().compile(value);
    return [value];
  } catch (error) {
    throw new HttpRequestOptionsError(path, value, EXPECTED_PROXY, { cause: error });
  }
}

function firstValue(value: string | null | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  const first = value.split(',')[0]!.trim();
  return first === '' ? undefined : first;
}

/** `https`, and Symfony's secure spellings (`on`, `ssl`, `1`), give https; `http`/`off`/`0` http; anything else is ignored. */
function normaliseProto(value: string | undefined): 'http' | 'https' | undefined {
  switch (value?.trim().toLowerCase()) {
    case 'https':
    case 'on':
    case 'ssl':
    case '1':
      return 'https';
    case 'http':
    case 'off':
    case '0':
      return 'http';
    default:
      return undefined;
  }
}

function parsePort(value: string | undefined): string | undefined {
  if (value === undefined || !/^\d{1,5}$/.test(value)) return undefined;
  const port = Number(value);
  return port >= 1 && port <= 65535 ? String(port) : undefined;
}

/** `example.com`, `example.com:8443`, `[2001:db8::1]:8443`; undefined for anything a URL host cannot be. */
function parseHost(value: string | undefined): { hostname: string; port: string | undefined } | undefined {
  if (value === undefined || value === '' || /[\s/\\?#@]/.test(value)) return undefined;
  let hostname = value;
  let portText: string | undefined;
  const close = value.lastIndexOf(']');
  const colon = value.lastIndexOf(':');
  if (colon > close && (value.startsWith('[') || value.indexOf(':') === colon)) {
    hostname = value.slice(0, colon);
    portText = value.slice(colon + 1);
  }
  let port: string | undefined;
  if (portText !== undefined) {
    port = parsePort(portText);
    if (port === undefined) return undefined;
  }
  try {
    const parsed = new URL(`http://${hostname}/`);
    return parsed.hostname === '' ? undefined : { hostname: parsed.hostname, port };
  } catch {
    return undefined;
  }
}

// Which addresses are proxies is decided by proxy-addr's trust function (Fastify's
// @fastify/proxy-addr, built on the ipaddr.js we use too). What is ours, for stated reasons:
// `REMOTE_ADDR`, the direct peer of each request, trusted on top of that function (proxy-addr
// compiles a fixed list once); the walk through the hops, because proxy-addr reads only
// X-Forwarded-For, only from a node:http `req`, and returns an entry it cannot parse as the
// client where Symfony, whose settings these mirror, skips it; and scheme, host and port, which
// proxy-addr does not read at all.
import { lazyModule } from '../../../runtime/lazy-module.js';
import { HttpRequestOptionsError } from '../errors.js';
import { parseForwardedHeader, type ForwardedElement } from './parse-forwarded-header.js';
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

/** proxy-addr's trust function: whether an address (a normalised IP string) is a trusted proxy. */
type Trust = (address: string, hop: number) => boolean;

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
    return new TrustedProxies(ranges.length === 0 ? undefined : proxyAddr().compile(ranges), trustPeer, headers);
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
    return this.trust !== undefined && this.trust(address.toString(), 0);
  }
}

function listOf(value: string | readonly string[] | undefined): readonly unknown[] {
  if (value === undefined) return [];
  if (typeof value === 'string') return value.split(',').filter((entry) => entry.trim() !== '');
  if (!Array.isArray(value)) throw new HttpRequestOptionsError('trustedProxies', value, 'a list of IPs or CIDRs, or a comma-separated string');
  return value;
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

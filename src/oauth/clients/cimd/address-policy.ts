import { isIPv4, isIPv6 } from 'node:net';

/**
 * Which IP addresses a Client ID Metadata Document may be fetched from (SSRF defence):
 * global unicast only. Everything else is refused: loopback, private, link-local, unique-local,
 * shared (CGNAT), "this network", multicast, documentation, benchmarking and reserved ranges,
 * including IPv4 addresses embedded in IPv6 (mapped, NAT64, 6to4, IPv4-compatible).
 */
export type AddressClass =
  | 'public'
  | 'invalid'
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'unique-local'
  | 'shared'
  | 'multicast'
  | 'documentation'
  | 'reserved';

interface Range {
  base: number[];
  bits: number;
  cls: AddressClass;
}

const v4 = (cidr: string, cls: AddressClass): Range => {
  const [addr, bits] = cidr.split('/');
  return { base: addr.split('.').map(Number), bits: Number(bits), cls };
};

/** IPv4 special-purpose ranges (IANA registry, RFC 6890 and successors). */
const IPV4_RANGES: Range[] = [
  v4('0.0.0.0/8', 'unspecified'),
  v4('10.0.0.0/8', 'private'),
  v4('100.64.0.0/10', 'shared'),
  v4('127.0.0.0/8', 'loopback'),
  v4('169.254.0.0/16', 'link-local'),
  v4('172.16.0.0/12', 'private'),
  v4('192.0.0.0/24', 'reserved'),
  v4('192.0.2.0/24', 'documentation'),
  v4('192.31.196.0/24', 'reserved'),
  v4('192.52.193.0/24', 'reserved'),
  v4('192.88.99.0/24', 'reserved'),
  v4('192.168.0.0/16', 'private'),
  v4('192.175.48.0/24', 'reserved'),
  v4('198.18.0.0/15', 'reserved'),
  v4('198.51.100.0/24', 'documentation'),
  v4('203.0.113.0/24', 'documentation'),
  v4('224.0.0.0/4', 'multicast'),
  v4('240.0.0.0/4', 'reserved'),
];

const inRange = (parts: number[], range: Range, partBits: number): boolean => {
  let remaining = range.bits;
  for (let i = 0; remaining > 0; i++) {
    const take = Math.min(partBits, remaining);
    const mask = ((1 << take) - 1) << (partBits - take);
    if ((parts[i] & mask) !== (range.base[i] & mask)) return false;
    remaining -= take;
  }
  return true;
};

function classifyIPv4(parts: number[]): AddressClass {
  return IPV4_RANGES.find((r) => inRange(parts, r, 8))?.cls ?? 'public';
}

/** Eight 16-bit groups of a valid IPv6 address (embedded dotted quad allowed). */
function ipv6Groups(address: string): number[] {
  let text = address;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted[1].split('.').map(Number);
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::');
  const parse = (s: string | undefined) => (s ? s.split(':').map((g) => parseInt(g, 16)) : []);
  const h = parse(head);
  if (tail === undefined) return h;
  const t = parse(tail);
  return [...h, ...new Array<number>(8 - h.length - t.length).fill(0), ...t];
}

const embeddedV4 = (hi: number, lo: number): number[] => [hi >> 8, hi & 0xff, lo >> 8, lo & 0xff];

function classifyIPv6(g: number[]): AddressClass {
  const zeros = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  if (zeros(0, 8)) return 'unspecified';
  if (zeros(0, 7) && g[7] === 1) return 'loopback';
  // ::ffff:a.b.c.d (mapped) and ::a.b.c.d (deprecated IPv4-compatible): the IPv4 address decides.
  if (zeros(0, 5) && (g[5] === 0xffff || g[5] === 0)) return classifyIPv4(embeddedV4(g[6], g[7]));
  // ::ffff:0:a.b.c.d (SIIT translated)
  if (zeros(0, 4) && g[4] === 0xffff && g[5] === 0) return classifyIPv4(embeddedV4(g[6], g[7]));
  // 64:ff9b::/96 well-known NAT64 prefix: the embedded IPv4 address decides.
  if (g[0] === 0x64 && g[1] === 0xff9b && zeros(2, 6)) return classifyIPv4(embeddedV4(g[6], g[7]));
  // 2002::/16 6to4: the embedded IPv4 address decides, and 6to4 relays are not ours to reach.
  if (g[0] === 0x2002) {
    const inner = classifyIPv4(embeddedV4(g[1], g[2]));
    return inner === 'public' ? 'reserved' : inner;
  }
  if ((g[0] & 0xfe00) === 0xfc00) return 'unique-local'; // fc00::/7
  if ((g[0] & 0xffc0) === 0xfe80) return 'link-local'; // fe80::/10
  if ((g[0] & 0xffc0) === 0xfec0) return 'private'; // fec0::/10, deprecated site-local
  if ((g[0] & 0xff00) === 0xff00) return 'multicast'; // ff00::/8
  if (g[0] === 0x2001 && g[1] === 0x0db8) return 'documentation'; // 2001:db8::/32
  if (g[0] === 0x3fff && g[1] < 0x1000) return 'documentation'; // 3fff::/20
  if (g[0] === 0x2001 && g[1] < 0x0200) return 'reserved'; // 2001::/23 (Teredo, ORCHID, …)
  // Everything outside 2000::/3 (global unicast) is reserved: 64:ff9b:1::/48, 100::/64, ::/8, …
  if ((g[0] & 0xe000) !== 0x2000) return 'reserved';
  return 'public';
}

/** Classifies an address as given by DNS or a socket (`[…]` and `%zone` tolerated). */
export function classifyAddress(address: string): AddressClass {
  const bare = address.replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, '');
  if (isIPv4(bare)) return classifyIPv4(bare.split('.').map(Number));
  if (isIPv6(bare)) return classifyIPv6(ipv6Groups(bare.toLowerCase()));
  return 'invalid';
}

export const isPublicAddress = (address: string): boolean => classifyAddress(address) === 'public';

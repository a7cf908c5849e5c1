// Addresses as the kernel's schedulers hash them.
import { ipFamily, parseIPv6 } from '../../../lib/ipvs/ip';

/** An IPv4 address as its 32-bit number; an IPv6 address's four 32-bit words xored (the kernel's addr_fold). */
export function foldAddress(address: string): number {
  if (ipFamily(address) === 4) return address.split('.').reduce((n, p) => ((n << 8) | Number(p)) >>> 0, 0);
  const g = parseIPv6(address) ?? [];
  let fold = 0;
  for (let w = 0; w < 4; w++) fold ^= (((g[w * 2] ?? 0) << 16) | (g[w * 2 + 1] ?? 0)) >>> 0;
  return fold >>> 0;
}

/** The client network a persistence template covers: the address masked by the service's netmask or prefix length. */
export function maskAddress(address: string, netmask: string | undefined): string {
  if (netmask === undefined) return address;
  if (ipFamily(address) === 4) {
    const m = netmask.split('.').map(Number);
    return address
      .split('.')
      .map((p, i) => Number(p) & (m[i] ?? 255))
      .join('.');
  }
  const bits = Number(netmask);
  const g = parseIPv6(address) ?? [];
  return g
    .map((x, i) => {
      const keep = Math.max(0, Math.min(16, bits - i * 16));
      return (x & ((0xffff << (16 - keep)) & 0xffff)).toString(16);
    })
    .join(':');
}

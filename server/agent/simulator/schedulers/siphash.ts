// The kernel's hsiphash on a 64-bit machine (lib/siphash.c: SipHash-1-3 with a 128-bit key, truncated to 32 bits),
// for one 32-bit word: what ip_vs_mh hashes real servers and clients with. BigInt, as the state is four 64-bit words.

const MASK = (1n << 64n) - 1n;
const rol = (x: bigint, b: bigint): bigint => ((x << b) | (x >> (64n - b))) & MASK;

/** A SipHash key: two 64-bit words (the kernel's hsiphash_key_t on 64 bits). */
export type SipKey = readonly [bigint, bigint];

/** hsiphash(&v, 4, key) of a 32-bit value as the little-endian machine stores it. */
export function hsiphash32(value: number, key: SipKey): number {
  let v0 = 0x736f6d6570736575n ^ key[0];
  let v1 = 0x646f72616e646f6dn ^ key[1];
  let v2 = 0x6c7967656e657261n ^ key[0];
  let v3 = 0x7465646279746573n ^ key[1];
  const round = () => {
    v0 = (v0 + v1) & MASK;
    v1 = rol(v1, 13n) ^ v0;
    v0 = rol(v0, 32n);
    v2 = (v2 + v3) & MASK;
    v3 = rol(v3, 16n) ^ v2;
    v0 = (v0 + v3) & MASK;
    v3 = rol(v3, 21n) ^ v0;
    v2 = (v2 + v1) & MASK;
    v1 = rol(v1, 17n) ^ v2;
    v2 = rol(v2, 32n);
  };
  // four bytes: no whole 8-byte block, the length in the top byte and the value in the low ones
  const b = (4n << 56n) | BigInt(value >>> 0);
  v3 ^= b;
  round();
  v0 ^= b;
  v2 ^= 0xffn;
  round();
  round();
  round();
  return Number((v0 ^ v1 ^ v2 ^ v3) & 0xffffffffn);
}

// What a scheduler sees of a real server and of a new connection, and what every scheduler implements. The kernel
// keeps a service's real servers in a list with the newest first (ip_vs_ctl.c adds at the head); schedulers walk that
// list, so `dests` is always in that order.

export interface SchedDest {
  readonly id: string;
  weight: number;
  /** The kernel's last_weight: the weight when added, then the latest non-zero one (mh builds its table from it). */
  lastWeight?: number;
  activeConns: number;
  inactiveConns: number;
  /** The kernel's IP_VS_DEST_F_OVERLOAD: set by the upper connection threshold. */
  overloaded: boolean;
}

/** The fields of the first packet that the kernel's schedulers hash on. */
export interface Packet {
  /** Client address as the kernel folds it: an IPv4 address as a number, an IPv6 address's four words xored. */
  client: number;
  clientPort: number;
  /** Destination address of the packet (the virtual address), folded the same way. */
  virtual: number;
}

export interface Scheduler {
  /** The real server for a new connection, or undefined when none is available. */
  pick(dests: readonly SchedDest[], packet: Packet): SchedDest | undefined;
  /** A real server was added, removed or changed (weight, thresholds): the kernel's add/del/upd_dest hooks. */
  changed(dests: readonly SchedDest[], event: DestEvent): void;
}

export type DestEvent =
  { kind: 'add'; id: string } | { kind: 'del'; id: string; index: number } | { kind: 'upd'; id: string };

/** The kernel's "connection overhead" of lc/wlc: an active connection costs 256 inactive ones. */
export const connOverhead = (d: SchedDest): number => d.activeConns * 256 + d.inactiveConns;

/** Available for a new connection: a positive weight and not over its upper threshold. */
export const available = (d: SchedDest): boolean => d.weight > 0 && !d.overloaded;

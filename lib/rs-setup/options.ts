// What `lvs-agent rs-setup` accepts. Every value that reaches the script text is checked here first (addresses,
// an interface name, a port), and the script also single-quotes each one.
import { z } from 'zod';
import { canonicalIP, ipFamily } from '../ipvs/ip';
import { TUNNEL_TYPES, ipAddress, port } from '../ipvs/model';

export const RS_MODES = ['dr', 'tun', 'nat'] as const;

/** Linux interface names: at most 15 bytes, no slash, colon or whitespace; kept to a safe alphabet. */
const ifname = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,14}$/, {
  message: 'not an interface name ([A-Za-z0-9_-], 1-15; VLAN names with a dot are not handled)',
});

export const RsSetupOptions = z
  .object({
    mode: z.enum(RS_MODES),
    vips: z
      .array(ipAddress)
      .max(64)
      .transform((v) => [...new Set(v.map(canonicalIP))]),
    /** TUN: the encapsulation the director's service uses (ipvsadm --tun-type). */
    tunnelType: z.enum(TUNNEL_TYPES).default('ipip'),
    /** TUN with gue: the UDP port (ipvsadm --tun-port). */
    tunnelPort: port.min(1).optional(),
    /** DR/TUN: the interface the real server answers clients by; found from the default route when absent. */
    iface: ifname.optional(),
    /** NAT: the director's address on the real servers' network, which must be their default gateway. */
    gateway: ipAddress.optional(),
    undo: z.boolean().default(false),
  })
  .superRefine((o, ctx) => {
    if (o.mode !== 'nat' && o.vips.length === 0)
      ctx.addIssue({ code: 'custom', path: ['vips'], message: `--mode ${o.mode} needs at least one --vip` });
    if (o.mode === 'tun' && o.tunnelType === 'gue' && o.tunnelPort === undefined)
      ctx.addIssue({ code: 'custom', path: ['tunnelPort'], message: 'a gue tunnel needs --tun-port' });
    if (o.gateway !== undefined && ipFamily(o.gateway) !== 4 && o.mode === 'nat')
      ctx.addIssue({ code: 'custom', path: ['gateway'], message: 'the NAT check reads the IPv4 default route' });
  });
export type RsSetupOptions = z.infer<typeof RsSetupOptions>;
export type RsSetupInput = z.input<typeof RsSetupOptions>;

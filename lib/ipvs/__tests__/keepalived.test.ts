import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSave, renderKeepalived, type Service } from '..';
import { arbService } from './arbitraries';

/** The blocks after the two-line header, for services written in ipvsadm -S -n form. */
const render = (save: string) => renderKeepalived(parseSave(save)).split('\n').slice(3).join('\n');

describe('renderKeepalived', () => {
  it('starts with a header naming the keepalived version and the missing health checkers', () => {
    expect(renderKeepalived([])).toBe(
      '# IPVS virtual servers in keepalived.conf syntax (keepalived 2.x, checked against v2.4.3).\n' +
        '# No health checkers are included: add them before relying on keepalived to take failed real servers out.\n',
    );
  });

  it('writes a NAT service with thresholds and persistence', () => {
    expect(
      render(`-A -t 10.1.0.10:443 -s wlc -p 300 -M 255.255.255.0
-a -t 10.1.0.10:443 -r 10.2.0.11:8443 -m -w 3 -x 100 -y 50
-a -t 10.1.0.10:443 -r 10.2.0.12:8443 -m -w 0
`),
    ).toBe(`virtual_server 10.1.0.10 443 {
    lvs_sched wlc
    lvs_method NAT
    protocol TCP
    persistence_timeout 300
    persistence_granularity 255.255.255.0

    real_server 10.2.0.11 8443 {
        weight 3
        uthreshold 100
        lthreshold 50
    }

    real_server 10.2.0.12 8443 {
        weight 0
    }
}
`);
  });

  it('takes the first real server method as the default and names the others, tunnel types included', () => {
    expect(
      render(`-A -t 10.1.0.10:9000 -s rr
-a -t 10.1.0.10:9000 -r 10.1.0.1:9000 -g -w 1
-a -t 10.1.0.10:9000 -r 10.3.0.31:9000 -i -w 1 --tun-type ipip
-a -t 10.1.0.10:9000 -r 10.3.0.33:9000 -i -w 1 --tun-type gue --tun-port 6080 --tun-nocsum
-a -t 10.1.0.10:9000 -r 10.3.0.36:9000 -i -w 1 --tun-type gue --tun-port 6083 --tun-remcsum
-a -t 10.1.0.10:9000 -r 10.3.0.38:9000 -i -w 1 --tun-type gre --tun-csum
`),
    ).toBe(`virtual_server 10.1.0.10 9000 {
    lvs_sched rr
    lvs_method DR
    protocol TCP

    real_server 10.1.0.1 9000 {
        weight 1
    }

    real_server 10.3.0.31 9000 {
        weight 1
        lvs_method TUN
    }

    real_server 10.3.0.33 9000 {
        weight 1
        lvs_method TUN type gue port 6080
    }

    real_server 10.3.0.36 9000 {
        weight 1
        lvs_method TUN type gue port 6083 remcsum
    }

    real_server 10.3.0.38 9000 {
        weight 1
        lvs_method TUN type gre csum
    }
}
`);
  });

  it('writes fwmark services with their family, without protocol or real server ports', () => {
    expect(
      render(`-A -f 1 -s wrr -p 120
-a -f 1 -r 10.2.0.11:0 -m -w 2
-A -f 2 -6 -s mh -p 60 -M 64 -b mh-port -o
-a -f 2 -6 -r [2001:db8:2::11]:0 -i -w 1 --tun-type ipip
`),
    ).toBe(`virtual_server fwmark 1 {
    ip_family inet
    lvs_sched wrr
    lvs_method NAT
    persistence_timeout 120

    real_server 10.2.0.11 {
        weight 2
    }
}

virtual_server fwmark 2 {
    ip_family inet6
    lvs_sched mh
    mh-port
    ops
    lvs_method TUN
    persistence_timeout 60
    persistence_granularity 64

    real_server 2001:db8:2::11 {
        weight 1
    }
}
`);
  });

  it('writes IPv6, UDP with ops and a persistence engine, SCTP, and a port-less persistent service', () => {
    expect(
      render(`-A -u [2001:db8:1::10]:53 -s lc -p 60 -M 64
-a -u [2001:db8:1::10]:53 -r [2001:db8:2::11]:53 -m -w 1
-A -u 10.1.0.10:5060 -s sh -p 180 --pe sip -o -b sh-fallback,sh-port
-a -u 10.1.0.10:5060 -r 10.2.0.11:5060 -m -w 1
-A --sctp-service 10.1.0.10:3868 -s twos
-a --sctp-service 10.1.0.10:3868 -r 10.2.0.11:3868 -m -w 1
-A -t 10.1.0.10:0 -s wlc -p 600
-a -t 10.1.0.10:0 -r 10.1.0.21:0 -g -w 1
`),
    ).toBe(`virtual_server 2001:db8:1::10 53 {
    lvs_sched lc
    lvs_method NAT
    protocol UDP
    persistence_timeout 60
    persistence_granularity 64

    real_server 2001:db8:2::11 53 {
        weight 1
    }
}

virtual_server 10.1.0.10 5060 {
    lvs_sched sh
    sh-fallback
    sh-port
    ops
    lvs_method NAT
    protocol UDP
    persistence_timeout 180
    persistence_engine sip

    real_server 10.2.0.11 5060 {
        weight 1
    }
}

virtual_server 10.1.0.10 3868 {
    lvs_sched twos
    lvs_method NAT
    protocol SCTP

    real_server 10.2.0.11 3868 {
        weight 1
    }
}

virtual_server 10.1.0.10 {
    lvs_sched wlc
    lvs_method DR
    protocol TCP
    persistence_timeout 600

    real_server 10.1.0.21 {
        weight 1
    }
}
`);
  });

  it('writes a note for what keepalived cannot express instead of dropping it', () => {
    const svc: Service = {
      protocol: 'tcp',
      address: '10.1.0.10',
      port: 80,
      scheduler: 'weird',
      flags: ['sh-port', 'x\ny'],
      ops: true,
      persistent: 86400 * 40,
      pe: 'a b',
      destinations: [
        { address: '10.2.0.11', port: 8080, forward: 'route', weight: 1, activeConns: 0, inactiveConns: 0 },
        {
          address: '10.2.0.12',
          port: 80,
          forward: 'tunnel',
          tunnelType: 'ipip',
          tunnelChecksum: 'csum',
          weight: 1,
          activeConns: 0,
          inactiveConns: 0,
        },
      ],
    };
    const empty: Service = {
      protocol: 'tcp',
      address: '10.1.0.10',
      port: 81,
      scheduler: 'rr',
      flags: [],
      ops: false,
      netmask: '255.0.0.0',
      destinations: [],
    };
    expect(renderKeepalived([svc, empty]).split('\n').slice(3).join('\n')).toBe(`virtual_server 10.1.0.10 80 {
    # note: scheduler "weird" is unknown to keepalived, which would use wlc
    # note: scheduler flag "sh-port" with scheduler "weird" cannot be expressed
    # note: scheduler flag "x ny" with scheduler "weird" cannot be expressed
    # note: one-packet scheduling (ops) on a TCP service: keepalived allows it for UDP and fwmark services only
    lvs_method DR
    protocol TCP
    # note: persistence timeout 3456000s is above keepalived's limit of 2678400s
    # note: persistence engine "a b" cannot be expressed

    # note: real server 10.2.0.11 port 8080: keepalived uses the virtual server's port 80 instead
    real_server 10.2.0.11 8080 {
        weight 1
    }

    real_server 10.2.0.12 80 {
        weight 1
        # note: ipip tunnel with csum (keepalived allows no checksum option for ipip); keepalived would use DR
    }
}

virtual_server 10.1.0.10 81 {
    lvs_sched rr
    protocol TCP
    # note: persistence netmask "255.0.0.0" without persistence cannot be expressed
    # note: keepalived ignores a virtual_server without real servers
}
`);
  });

  it('writes only keepalived keywords, balanced braces and one block per service for any valid table', () => {
    const keyword =
      /^(virtual_server|real_server|ip_family|lvs_sched|lvs_method|protocol|persistence_timeout|persistence_granularity|persistence_engine|ops|sh-port|sh-fallback|mh-port|mh-fallback|weight|uthreshold|lthreshold)\b/;
    fc.assert(
      fc.property(fc.array(arbService(), { maxLength: 4 }), (services) => {
        const lines = renderKeepalived(services)
          .split('\n')
          .map((l) => l.trim())
          .filter((l) => l && l !== '}');
        for (const l of lines) expect(l.startsWith('#') || keyword.test(l), l).toBe(true);
        const text = renderKeepalived(services);
        expect(text.split('{').length).toBe(text.split('}').length);
        expect(lines.filter((l) => l.startsWith('virtual_server ')).length).toBe(services.length);
        expect(lines.filter((l) => l.startsWith('real_server ')).length).toBe(
          services.reduce((n, s) => n + s.destinations.length, 0),
        );
        // the generator makes valid tables only, which keepalived can express except for its port and ops rules
        expect(lines.filter((l) => l.startsWith('# note:') && !/port|without real servers|\(ops\)/.test(l))).toEqual(
          [],
        );
      }),
      { numRuns: 200 },
    );
  });
});

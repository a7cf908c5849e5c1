#!/bin/sh
# Run inside the lab VM by `lab capture DIR`: builds a rich IPVS table on the lab topology, drives some traffic
# through it, and writes every listing the parsers read into DIR. Each file is named after the command that made it.
set -e
out=${1:?usage: capture.sh DIR}
here=$(cd "$(dirname "$0")" && pwd)
VIP=10.1.0.10
cap() { name=$1; shift; "$@" > "$out/$name" 2>&1 || echo "exit $?" >> "$out/$name.err"; }
# the netlink reader (dist/ipvs-dump, scripts/build-ipvs-dump.mjs) next to the ipvsadm listings of the same moment:
# netlink/NAME.ipvs-dump.jsonl and the listings the agent's ipvsadm backend reads, for the decoder's fixture tests
dump=$here/../dist/ipvs-dump
netlink() {
  [ -x "$dump" ] || { echo "no $dump: netlink/$1.* not captured"; return 0; }
  mkdir -p "$out/netlink"
  cap "netlink/$1.Ln-tun-info.txt" ipvsadm -Ln --tun-info
  cap "netlink/$1.Ln-thresholds.txt" ipvsadm -Ln --thresholds
  cap "netlink/$1.Ln-stats-exact.txt" ipvsadm -Ln --stats --exact
  cap "netlink/$1.ipvs-dump.jsonl" "$dump"
  cap "netlink/$1.Ln-rate-exact.txt" ipvsadm -Ln --rate --exact
  cap "netlink/$1.Ln-persistent-conn.txt" ipvsadm -Ln --persistent-conn
  cap "netlink/$1.L-timeout.txt" ipvsadm -L --timeout
  cap "netlink/$1.L-daemon.txt" ipvsadm -L --daemon
}

# empty table first
cap empty.Ln.txt ipvsadm -Ln
cap empty.Sn.txt ipvsadm -Sn
cap empty.Lnc.txt ipvsadm -Lnc
cap empty.proc-ip_vs.txt cat /proc/net/ip_vs
cap empty.proc-ip_vs_conn.txt cat /proc/net/ip_vs_conn
cap daemon-none.txt ipvsadm -L --daemon

"$here/topology" up >/dev/null
"$here/topology" services
# every scheduler the kernel has, flags, persistence with and without mask, PCC, thresholds, tunnel types
ipvsadm -A -t $VIP:81 -s lc
ipvsadm -A -t $VIP:82 -s sh -b sh-fallback,sh-port
ipvsadm -A -t $VIP:83 -s dh
ipvsadm -A -t $VIP:84 -s sed
ipvsadm -A -t $VIP:85 -s nq
ipvsadm -A -t $VIP:86 -s lblc
ipvsadm -A -t $VIP:87 -s lblcr
ipvsadm -A -t $VIP:88 -s mh -b mh-fallback,mh-port
ipvsadm -A -t $VIP:89 -s fo
ipvsadm -A -t $VIP:90 -s ovf
ipvsadm -A -t $VIP:91 -s sh -b sh-fallback
ipvsadm -A -t $VIP:443 -s rr -p 300
ipvsadm -a -t $VIP:443 -r 10.2.0.11:443 -m -w 1
ipvsadm -a -t $VIP:443 -r 10.2.0.12:443 -m -w 1
ipvsadm -A -t $VIP:0 -s wlc -p 600 -M 255.255.255.0
ipvsadm -a -t $VIP:0 -r 10.1.0.21 -g -w 1
ipvsadm -A -u $VIP:5060 -s rr -p 180 --pe sip
ipvsadm -A -u $VIP:1812 -s rr -o
ipvsadm -a -u $VIP:1812 -r 10.2.0.11:1812 -m -w 5
ipvsadm -A --sctp-service $VIP:3868 -s rr
ipvsadm -a --sctp-service $VIP:3868 -r 10.2.0.11:3868 -m -w 1 -x 1000 -y 100
ipvsadm -A -f 1 -s wrr -p 120
ipvsadm -a -f 1 -r 10.2.0.11:0 -m -w 2
ipvsadm -a -f 1 -r 10.2.0.12:0 -m -w 3 -x 500 -y 50
ipvsadm -A -f 2 -6 -s rr
ipvsadm -a -f 2 -6 -r '[2001:db8:2::11]:0' -m -w 1
ipvsadm -A -t '[2001:db8:1::10]:80' -s wrr
ipvsadm -a -t '[2001:db8:1::10]:80' -r '[2001:db8:2::11]:80' -m -w 1
ipvsadm -a -t '[2001:db8:1::10]:80' -r '[2001:db8:2::12]:80' -m -w 65535 -x 20 -y 10
ipvsadm -A -u '[2001:db8:1::10]:53' -s lc -p 60 -M 64
ipvsadm -a -u '[2001:db8:1::10]:53' -r '[2001:db8:2::11]:53' -m -w 1
ipvsadm -A -t $VIP:9000 -s rr
ipvsadm -a -t $VIP:9000 -r 10.3.0.31:9000 -i -w 1
ipvsadm -a -t $VIP:9000 -r 10.3.0.32:9000 -i -w 1 --tun-type ipip
ipvsadm -a -t $VIP:9000 -r 10.3.0.33:9000 -i -w 1 --tun-type gue --tun-port 6080
ipvsadm -a -t $VIP:9000 -r 10.3.0.34:9000 -i -w 1 --tun-type gue --tun-port 6081 --tun-nocsum
ipvsadm -a -t $VIP:9000 -r 10.3.0.35:9000 -i -w 1 --tun-type gue --tun-port 6082 --tun-csum
ipvsadm -a -t $VIP:9000 -r 10.3.0.36:9000 -i -w 1 --tun-type gue --tun-port 6083 --tun-remcsum
ipvsadm -a -t $VIP:9000 -r 10.3.0.37:9000 -i -w 1 --tun-type gre
ipvsadm -a -t $VIP:9000 -r 10.3.0.38:9000 -i -w 1 --tun-type gre --tun-csum
ipvsadm -a -t $VIP:9000 -r 10.1.0.1:9000 -g -w 0
# option order in -S when options combine
ipvsadm -A -t $VIP:92 -s sh -b sh-port -p 100 -M 255.255.0.0
ipvsadm -A -u $VIP:1813 -s mh -b mh-port,mh-fallback -p 200 -o --pe sip
ipvsadm -A -u $VIP:1814 -s rr -o -p
ipvsadm -A -t '[2001:db8:1::10]:443' -s sh -b sh-fallback -p 30 -M 48
ipvsadm -A -t $VIP:9001 -s twos 2>/dev/null || true
ipvsadm --set 900 120 300
# a service whose byte counters pass 100 million, so the listings without --exact print K/M suffixes
ipvsadm -A -t $VIP:8000 -s rr
ipvsadm -a -t $VIP:8000 -r 10.2.0.11:80 -m -w 1
dd if=/dev/zero of=/tmp/www-nat1/big bs=1M count=110 2>/dev/null

# traffic: HTTP through NAT/DR/TUN, persistence templates on :443, UDP entries on :53
"$here/topology" traffic 200 > "$out/traffic.txt"
for i in 1 2 3 4 5; do ip netns exec client curl -s -m 5 http://$VIP:443/ > /dev/null || true; done
ip netns exec client python3 "$here/udp-entries.py" 50 $VIP 53
ip netns exec client curl -s -m 120 -o /dev/null http://$VIP:8000/big
for i in 1 2 3; do ip netns exec client curl -s -m 5 -o /dev/null 'http://[2001:db8:1::10]:80/' || echo "ipv6 request failed"; done
sleep 3

cap list.Ln.txt ipvsadm -Ln
cap list.L.txt timeout 60 ipvsadm -L
cap stats.Ln-stats.txt ipvsadm -Ln --stats
cap stats-exact.Ln-stats-exact.txt ipvsadm -Ln --stats --exact
cap rate.Ln-rate.txt ipvsadm -Ln --rate
cap thresholds.Ln-thresholds.txt ipvsadm -Ln --thresholds
cap persistent.Ln-persistent-conn.txt ipvsadm -Ln --persistent-conn
cap tuninfo.Ln-tun-info.txt ipvsadm -Ln --tun-info
cap stats-tuninfo.Ln-stats-tun-info.txt ipvsadm -Ln --stats --tun-info
cap conns.Lnc.txt ipvsadm -Lnc
cap conns-exact.Lnc-persistent-conn.txt ipvsadm -Lnc --persistent-conn
cap save.Sn.txt ipvsadm -Sn
cap save.S.txt timeout 60 ipvsadm -S
cap timeout.L-timeout.txt ipvsadm -L --timeout
cap proc-ip_vs.txt cat /proc/net/ip_vs
cap proc-ip_vs_conn.txt cat /proc/net/ip_vs_conn
cap proc-ip_vs_stats.txt cat /proc/net/ip_vs_stats
cap proc-ip_vs_stats_percpu.txt cat /proc/net/ip_vs_stats_percpu
# listings of one service
cap service.Ln-t.txt ipvsadm -Ln -t $VIP:80 --stats --exact
netlink rich
# sync daemons: one, then two
ipvsadm --start-daemon master --mcast-interface lo --syncid 5
cap daemon-master.txt ipvsadm -L --daemon
ipvsadm --start-daemon backup --mcast-interface lo --syncid 7 --sync-maxlen 1400 --mcast-group 224.0.0.82 --mcast-port 8850 --mcast-ttl 2
cap daemon-both.txt ipvsadm -L --daemon
netlink daemons
ipvsadm --stop-daemon master
cap daemon-backup.txt ipvsadm -L --daemon
ipvsadm --stop-daemon backup
# error texts the kernel gives
cap error-exists.txt ipvsadm -A -t $VIP:80 -s rr
cap error-nosched.txt ipvsadm -A -t $VIP:99 -s nosuch
cap error-nodest.txt ipvsadm -d -t $VIP:80 -r 10.9.9.9:80
cap error-noservice.txt ipvsadm -D -t $VIP:99
cap error-usage.txt ipvsadm -A -t $VIP:80 -s
# fwmark persistence: nft marks ports 80 and 443 of a second VIP with mark 1 (the -f 1 service above, -p 120), so the
# connection listings hold a fwmark template (taken last: the listings above stay as they were captured before)
VIP2=10.1.0.11
ip addr add $VIP2/32 dev lan0
nft add table ip lvs_capture
nft add chain ip lvs_capture prerouting '{ type filter hook prerouting priority mangle; policy accept; }'
nft add rule ip lvs_capture prerouting ip daddr $VIP2 tcp dport '{ 80, 443 }' meta mark set 1
for port in 80 443 80; do ip netns exec client curl -s -m 5 -o /dev/null http://$VIP2:$port/ || echo "fwmark request to :$port failed"; done
cap fwmark.Lnc.txt ipvsadm -Lnc
cap fwmark.Lnc-persistent-conn.txt ipvsadm -Lnc --persistent-conn
cap fwmark.proc-ip_vs_conn.txt cat /proc/net/ip_vs_conn
nft delete table ip lvs_capture
ip addr del $VIP2/32 dev lan0
# the same for IPv6: a persistent IPv6 fwmark service (mark 3) for port 80 of a second IPv6 VIP
VIP6B=2001:db8:1::11
ip addr add $VIP6B/128 dev lan0 nodad
ipvsadm -A -f 3 -6 -s rr -p 60
ipvsadm -a -f 3 -6 -r '[2001:db8:2::11]:0' -m -w 1
nft add table ip6 lvs_capture
nft add chain ip6 lvs_capture prerouting '{ type filter hook prerouting priority mangle; policy accept; }'
nft add rule ip6 lvs_capture prerouting ip6 daddr $VIP6B tcp dport 80 meta mark set 3
for i in 1 2; do ip netns exec client curl -s -m 5 -o /dev/null "http://[$VIP6B]:80/" || echo "fwmark IPv6 request failed"; done
cap fwmark6.Lnc.txt ipvsadm -Lnc
cap fwmark6.proc-ip_vs_conn.txt cat /proc/net/ip_vs_conn
nft delete table ip6 lvs_capture
ipvsadm -D -f 3 -6
ip addr del $VIP6B/128 dev lan0
# edge cases of the table itself (last, on a table of their own): fwmarks of 2^31 and more, which ipvsadm prints as
# negative numbers (FWM -2147483648, -f -1) and /proc/net/ip_vs in hex, and tunnel real servers of the other address
# family than their service's (the kernel allows that for tunnels only)
ipvsadm -C
ipvsadm -A -f 2147483648 -s rr
ipvsadm -a -f 2147483648 -r 10.2.0.11:0 -m -w 1
ipvsadm -a -f 2147483648 -r '[2001:db8:3::31]:0' -i -w 1
ipvsadm -A -f 4294967295 -s wrr -p 60
ipvsadm -a -f 4294967295 -r 10.2.0.12 -g -w 2 -x 10 -y 5
ipvsadm -A -f 3000000000 -6 -s rr
ipvsadm -a -f 3000000000 -6 -r '[2001:db8:2::11]:0' -m -w 1
ipvsadm -a -f 3000000000 -6 -r 10.3.0.31:0 -i -w 1 --tun-type gre --tun-csum
ipvsadm -A -t $VIP:9100 -s rr
ipvsadm -a -t $VIP:9100 -r 10.3.0.31:9100 -i -w 1
ipvsadm -a -t $VIP:9100 -r '[2001:db8:3::31]:9100' -i -w 1
ipvsadm -a -t $VIP:9100 -r '[2001:db8:3::32]:9100' -i -w 1 --tun-type gue --tun-port 6080
ipvsadm -a -t $VIP:9100 -r '[2001:db8:3::33]:9100' -i -w 1 --tun-type gre
ipvsadm -A -t '[2001:db8:1::10]:9100' -s rr
ipvsadm -a -t '[2001:db8:1::10]:9100' -r 10.3.0.31:9100 -i -w 1
ipvsadm -a -t '[2001:db8:1::10]:9100' -r 10.3.0.32:9100 -i -w 1 --tun-type gue --tun-port 6081 --tun-remcsum
ipvsadm -a -t '[2001:db8:1::10]:9100' -r 10.3.0.33:9100 -i -w 1 --tun-type gre --tun-csum
cap edge.Ln.txt ipvsadm -Ln
cap edge.Ln-stats.txt ipvsadm -Ln --stats --exact
cap edge.Ln-rate.txt ipvsadm -Ln --rate --exact
cap edge.Ln-thresholds.txt ipvsadm -Ln --thresholds
cap edge.Ln-persistent-conn.txt ipvsadm -Ln --persistent-conn
cap edge.Ln-tun-info.txt ipvsadm -Ln --tun-info
cap edge.Sn.txt ipvsadm -Sn
cap edge.proc-ip_vs.txt cat /proc/net/ip_vs
netlink edge
# what ipvsadm -R makes of the -Sn text: it refuses the negative marks it printed itself
ipvsadm -C
cap edge.R-negative.txt ipvsadm -R < "$out/edge.Sn.txt"
echo "captured into $out: $(ls "$out" | wc -l) files"

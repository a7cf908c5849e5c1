#!/usr/bin/env python3
# Creates N IPVS UDP connection entries cheaply: one crafted UDP packet per (source address, source port) pair, sent
# from a raw socket toward VIP:PORT. Run in the lab VM's client namespace:
#   ip netns exec client python3 lab/udp-entries.py 60000 10.1.0.10 53
# Needs a UDP virtual service on VIP:PORT; entries live for the UDP timeout (ipvsadm --set TCP TCPFIN UDP).
# Source addresses are 10.1.0.100, .101, ... (64,000 ports each).
import socket, struct, sys

n, vip = int(sys.argv[1]), sys.argv[2]
port = int(sys.argv[3]) if len(sys.argv) > 3 else 53
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
dst = socket.inet_aton(vip)
for i in range(n):
    src = socket.inet_aton('10.1.0.%d' % (100 + i // 64000))
    udp = struct.pack('!HHHH', 1024 + i % 64000, port, 9, 0) + b'x'
    ip = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(udp), i & 0xffff, 0, 64, 17, 0, src, dst)
    s.sendto(ip + udp, (vip, 0))

/* ipvs-dump: the kernel's whole IPVS table in one pass over its generic-netlink family, as JSON lines on stdout.
 *
 * The agent (server/agent/netlink-backend.ts) runs it once per tick instead of four ipvsadm listings: one socket,
 * one family lookup, one service dump, one destination dump per service, the timeouts and the sync daemons.
 * ipvsadm (libipvs) opens a new socket and resolves the family again for every service it lists, four times over.
 *
 * Output, stream version 2: one JSON array per line, the record's kind first, then its fields in a fixed order,
 * numbers as numbers (values as the kernel holds them; lib/ipvs/netlink-records.ts names the fields and
 * lib/ipvs/netlink-dump.ts maps them to the model). No keys: a 10,000 x 10 table is half the bytes of version 1's
 * objects, and the agent parses it in about half the time.
 *   ["ipvs-dump",2]
 *   ["svc",af,protocol,"addr",port,fwmark,"sched",flags,timeout,"netmask","pe",
 *    conns,inpkts,outpkts,inbytes,outbytes,cps,inpps,outpps,inbps,outbps]
 *   ["dest",af,"addr",port,fwd,weight,uthresh,lthresh,active,inactive,persist,tunType,tunPort,tunFlags,
 *    conns,...,outbps]                                                       (after its service)
 *   ["timeouts",tcp,tcpfin,udp]
 *   ["daemon",state,"ifn",syncid,maxlen,"group",port,ttl]        (the last four null when the kernel has not them)
 *   ["end",services,dests]
 * The netmask is an IPv4 mask, or an IPv6 service's prefix length ("128"). The stream is written as the kernel is read,
 * in pieces of FLUSH_AT bytes, each ending with a service's block, so the agent decodes it while the read goes on: only
 * an exit status of 0 and the end line make it a table. A service removed between the service dump and its own
 * destination dump is left out (the kernel answers that dump with nothing); a dump the kernel flags interrupted
 * (NLM_F_DUMP_INTR; IPVS's dumps do not set it today) fails the read, and the agent's next tick reads again.
 *
 * `ipvs-dump --service tcp|udp|sctp ADDRESS PORT` or `ipvs-dump --fwmark MARK inet|inet6` reads that one service
 * (IPVS_CMD_GET_SERVICE for it, then its destinations) and the timeouts, in the same stream: the agent's confirmation
 * read after an edit. A service the kernel does not hold is a stream with no svc record.
 * Exit: 0 read; 3 no IPVS family (ip_vs not loaded); 1 any other failure (one line on stderr). Needs what ipvsadm
 * needs (CAP_NET_ADMIN: the kernel's IPVS commands are GENL_ADMIN_PERM); no libnl, only the kernel's own headers.
 * Build: cc -O2 -o dist/ipvs-dump native/ipvs-dump.c (scripts/build-ipvs-dump.mjs does it at install). */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/genetlink.h>
#include <linux/ip_vs.h>
#include <linux/netlink.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* The length of every receive: one page (at least the kernel's default dump buffer, NLMSG_GOODSIZE, a page less the
 * skb's overhead, capped at 8 KiB). The kernel sizes each dump's buffer from the largest receive the socket has seen,
 * up to 32 KiB, and allocates it twice per destination dump (its data, then its end), zeroed (Debian's kernels zero
 * every allocation, init_on_alloc): with 256 KiB receives that zeroing was the read's largest kernel cost in the lab's
 * profile (bench/README.md). A page-sized buffer comes from the slab; a service with many real servers takes one
 * more dump pass (one more service lookup in the kernel) per page of them. */
static size_t recv_len;
#define MAX_ATTR 32

static int sock = -1;
static uint32_t seq;
static uint16_t ipvs_family;
static char *rbuf;
/* The stream, built whole in memory (nothing is written unless the read succeeded): our own buffer and number
 * formatting, no stdio: printf's formatting was most of the helper's own time over a 10,000 x 10 table. */
static struct {
  char *p;
  size_t len, cap;
} out;
static const char *failed_step;
/* Written out whenever this much is held: a few pipe reads' worth for the agent to decode while the read goes on. */
#define FLUSH_AT (64 * 1024)

/* The one service asked for with --service / --fwmark (only.af == 0: the whole table). */
static struct {
  uint16_t af, protocol, port; /* port in network byte order */
  uint32_t fwmark;
  unsigned char addr[16];
} only;

/* A request under construction: netlink and genetlink headers, then attributes. */
struct req {
  struct nlmsghdr *n;
  char buf[512];
};

static struct nlmsghdr *req_init(struct req *r, uint16_t type, uint8_t cmd, uint16_t flags) {
  memset(r->buf, 0, sizeof(r->buf));
  struct nlmsghdr *n = (struct nlmsghdr *)r->buf;
  n->nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN);
  n->nlmsg_type = type;
  n->nlmsg_flags = NLM_F_REQUEST | flags;
  n->nlmsg_seq = ++seq;
  struct genlmsghdr *g = NLMSG_DATA(n);
  g->cmd = cmd;
  g->version = type == GENL_ID_CTRL ? 1 : IPVS_GENL_VERSION;
  r->n = n;
  return n;
}

static struct nlattr *put(struct req *r, uint16_t type, const void *data, size_t len) {
  size_t at = NLMSG_ALIGN(r->n->nlmsg_len);
  if (at + NLA_HDRLEN + NLA_ALIGN(len) > sizeof(r->buf)) abort(); /* requests are fixed and small */
  struct nlattr *a = (struct nlattr *)(r->buf + at);
  a->nla_type = type;
  a->nla_len = NLA_HDRLEN + len;
  if (len) memcpy((char *)a + NLA_HDRLEN, data, len);
  r->n->nlmsg_len = at + NLA_ALIGN(a->nla_len);
  return a;
}

static void nest_end(struct req *r, struct nlattr *a) { a->nla_len = r->buf + r->n->nlmsg_len - (char *)a; }

/* Attributes of [p, p+len) by type (later duplicates win; unknown types above MAX_ATTR are ignored). */
static void parse_attrs(const struct nlattr *tb[MAX_ATTR], const void *p, int len) {
  memset(tb, 0, sizeof(*tb) * MAX_ATTR);
  const struct nlattr *a = p;
  while (len >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN && a->nla_len <= len) {
    int type = a->nla_type & NLA_TYPE_MASK;
    if (type < MAX_ATTR) tb[type] = a;
    int step = NLA_ALIGN(a->nla_len);
    len -= step;
    a = (const struct nlattr *)((const char *)a + step);
  }
}

static const void *payload(const struct nlattr *a) { return (const char *)a + NLA_HDRLEN; }
static int plen(const struct nlattr *a) { return a->nla_len - NLA_HDRLEN; }

/* An unsigned attribute of any width the kernel uses (u8/u16/u32/u64); 0 when absent. */
static uint64_t uint_attr(const struct nlattr *a) {
  if (!a) return 0;
  switch (plen(a)) {
    case 1: return *(const uint8_t *)payload(a);
    case 2: { uint16_t v; memcpy(&v, payload(a), 2); return v; }
    case 4: { uint32_t v; memcpy(&v, payload(a), 4); return v; }
    case 8: { uint64_t v; memcpy(&v, payload(a), 8); return v; }
    default: return 0;
  }
}

static uint16_t be16_attr(const struct nlattr *a) { return a && plen(a) >= 2 ? ntohs(*(const uint16_t *)payload(a)) : 0; }

static char *out_room(size_t n) {
  if (out.len + n > out.cap) {
    size_t cap = out.cap ? out.cap : 1 << 20;
    while (cap < out.len + n) cap *= 2;
    char *p = realloc(out.p, cap);
    if (!p) {
      fprintf(stderr, "ipvs-dump: out of memory for the stream\n");
      exit(1);
    }
    out.p = p;
    out.cap = cap;
  }
  return out.p + out.len;
}

static void out_mem(const char *s, size_t n) {
  memcpy(out_room(n), s, n);
  out.len += n;
}

#define OUT_LITERAL(s) out_mem(s, sizeof(s) - 1)

/* Write what `out` holds to stdout. A failed write ends the helper (status 1): its stream is not a table. */
static void flush_out(void) {
  for (size_t done = 0; done < out.len;) {
    ssize_t w = write(STDOUT_FILENO, out.p + done, out.len - done);
    if (w < 0 && errno == EINTR) continue;
    if (w < 0) {
      fprintf(stderr, "ipvs-dump: write: %s\n", strerror(errno));
      exit(1);
    }
    done += (size_t)w;
  }
  out.len = 0;
}

static void out_char(char c) {
  *out_room(1) = c;
  out.len++;
}

/* ",N" */
static void out_u64(uint64_t v) {
  char digits[21];
  int i = sizeof(digits);
  do digits[--i] = (char)('0' + v % 10);
  while (v /= 10);
  digits[--i] = ',';
  out_mem(digits + i, sizeof(digits) - i);
}

static void out_attr(const struct nlattr *a) { out_u64(uint_attr(a)); }

/* ",\"text\"" (at most maxlen bytes, up to a NUL) */
static void out_string(const char *s, int maxlen) {
  static const char hex[] = "0123456789abcdef";
  OUT_LITERAL(",\"");
  for (int i = 0; i < maxlen && s[i]; i++) {
    unsigned char c = s[i];
    if (c == '"' || c == '\\') {
      out_char('\\');
      out_char((char)c);
    } else if (c < 0x20 || c >= 0x7f) {
      char u[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
      out_mem(u, sizeof(u));
    } else out_char((char)c);
  }
  out_char('"');
}

static void string_field(const struct nlattr *a) {
  if (a) out_string(payload(a), plen(a));
  else out_string("", 0);
}

/* ",\"address\"": IPv4 formatted here (glibc's inet_ntop formats it with sprintf), IPv6 by inet_ntop */
static void addr_field(int af, const struct nlattr *a) {
  unsigned char raw[16] = {0};
  if (a) memcpy(raw, payload(a), plen(a) < 16 ? plen(a) : 16);
  char text[INET6_ADDRSTRLEN] = "";
  if (af == AF_INET6) {
    if (!inet_ntop(AF_INET6, raw, text, sizeof(text))) text[0] = 0;
  } else {
    char *t = text;
    for (int i = 0; i < 4; i++) {
      unsigned v = raw[i];
      if (i) *t++ = '.';
      if (v >= 100) *t++ = (char)('0' + v / 100);
      if (v >= 10) *t++ = (char)('0' + v / 10 % 10);
      *t++ = (char)('0' + v % 10);
    }
    *t = 0;
  }
  out_string(text, sizeof(text));
}

/* The ten counters, from the 64-bit nest when the kernel sends it (since 4.x), else the older one. */
static void stats_fields(const struct nlattr *stats64, const struct nlattr *stats) {
  const struct nlattr *tb[MAX_ATTR];
  const struct nlattr *nest = stats64 ? stats64 : stats;
  if (nest) parse_attrs(tb, payload(nest), plen(nest));
  else memset(tb, 0, sizeof(tb));
  for (int k = IPVS_STATS_ATTR_CONNS; k <= IPVS_STATS_ATTR_OUTBPS; k++) out_attr(tb[k]);
}

/* Send a request and hand each answer to cb until the dump ends (or, for a plain request, the answer came).
 * Returns 0, or -errno (the kernel's or the socket's); -EAGAIN when the kernel flagged the dump interrupted. */
static int talk(struct req *r, int (*cb)(const struct nlmsghdr *, void *), void *ctx) {
  int dump = (r->n->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP;
  struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
  for (;;) {
    if (sendto(sock, r->buf, r->n->nlmsg_len, 0, (struct sockaddr *)&kernel, sizeof(kernel)) >= 0) break;
    if (errno != EINTR) return -errno;
  }
  int interrupted = 0;
  for (;;) {
    struct iovec iov = {rbuf, recv_len};
    struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};
    ssize_t got = recvmsg(sock, &mh, 0);
    if (got < 0) {
      if (errno == EINTR) continue;
      return -errno;
    }
    if (mh.msg_flags & MSG_TRUNC) return -EMSGSIZE;
    int left = (int)got;
    for (struct nlmsghdr *n = (struct nlmsghdr *)rbuf; NLMSG_OK(n, left); n = NLMSG_NEXT(n, left)) {
      if (n->nlmsg_seq != r->n->nlmsg_seq) continue; /* a late answer to an earlier request */
      if (n->nlmsg_flags & NLM_F_DUMP_INTR) interrupted = 1;
      if (n->nlmsg_type == NLMSG_ERROR) {
        const struct nlmsgerr *e = NLMSG_DATA(n);
        if (e->error) return e->error;
        if (!dump) return 0; /* an acknowledgement */
        continue;
      }
      if (n->nlmsg_type == NLMSG_DONE) {
        int err = 0;
        if (n->nlmsg_len >= NLMSG_LENGTH(sizeof(int))) memcpy(&err, NLMSG_DATA(n), sizeof(int));
        if (err) return err;
        return interrupted ? -EAGAIN : 0;
      }
      int rc = cb(n, ctx);
      if (rc) return rc;
      if (!dump) return 0;
    }
  }
}

/* The genetlink attributes of an answer. */
static void answer_attrs(const struct nlattr *tb[MAX_ATTR], const struct nlmsghdr *n) {
  parse_attrs(tb, (const char *)NLMSG_DATA(n) + GENL_HDRLEN, n->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN));
}

static int on_family(const struct nlmsghdr *n, void *ctx) {
  (void)ctx;
  const struct nlattr *tb[MAX_ATTR];
  answer_attrs(tb, n);
  ipvs_family = (uint16_t)uint_attr(tb[CTRL_ATTR_FAMILY_ID]);
  return 0;
}

/* One service as the kernel described it: its nest is kept whole to name it in the destination request. */
struct svc {
  char *nest;
  int len;
};
struct svcs {
  struct svc *v;
  size_t n, cap;
};

static int on_service(const struct nlmsghdr *n, void *ctx) {
  struct svcs *list = ctx;
  const struct nlattr *tb[MAX_ATTR];
  answer_attrs(tb, n);
  const struct nlattr *nest = tb[IPVS_CMD_ATTR_SERVICE];
  if (!nest) return 0;
  if (list->n == list->cap) {
    list->cap = list->cap ? list->cap * 2 : 256;
    list->v = realloc(list->v, list->cap * sizeof(*list->v));
    if (!list->v) return -ENOMEM;
  }
  struct svc *s = &list->v[list->n++];
  s->len = plen(nest);
  s->nest = malloc(s->len);
  if (!s->nest) return -ENOMEM;
  memcpy(s->nest, payload(nest), s->len);
  return 0;
}

static void print_service(const struct svc *s) {
  const struct nlattr *tb[MAX_ATTR];
  parse_attrs(tb, s->nest, s->len);
  int af = (int)uint_attr(tb[IPVS_SVC_ATTR_AF]);
  struct ip_vs_flags flags = {0, 0};
  if (tb[IPVS_SVC_ATTR_FLAGS] && plen(tb[IPVS_SVC_ATTR_FLAGS]) >= (int)sizeof(flags))
    memcpy(&flags, payload(tb[IPVS_SVC_ATTR_FLAGS]), sizeof(flags));
  OUT_LITERAL("[\"svc\"");
  out_u64((uint64_t)af);
  out_attr(tb[IPVS_SVC_ATTR_PROTOCOL]);
  addr_field(af, tb[IPVS_SVC_ATTR_ADDR]);
  out_u64(be16_attr(tb[IPVS_SVC_ATTR_PORT]));
  out_attr(tb[IPVS_SVC_ATTR_FWMARK]);
  string_field(tb[IPVS_SVC_ATTR_SCHED_NAME]);
  out_u64(flags.flags);
  out_attr(tb[IPVS_SVC_ATTR_TIMEOUT]);
  /* the persistence netmask: IPv4 a mask in network byte order, IPv6 a prefix length in the same u32 */
  if (af == AF_INET6) {
    char len[21];
    int n = snprintf(len, sizeof(len), "%llu", (unsigned long long)uint_attr(tb[IPVS_SVC_ATTR_NETMASK]));
    out_string(len, n);
  } else addr_field(AF_INET, tb[IPVS_SVC_ATTR_NETMASK]);
  string_field(tb[IPVS_SVC_ATTR_PE_NAME]);
  stats_fields(tb[IPVS_SVC_ATTR_STATS64], tb[IPVS_SVC_ATTR_STATS]);
  OUT_LITERAL("]\n");
}

struct dest_ctx {
  int svc_af;
  size_t count;
};

static int on_dest(const struct nlmsghdr *n, void *ctx) {
  struct dest_ctx *c = ctx;
  const struct nlattr *top[MAX_ATTR], *tb[MAX_ATTR];
  answer_attrs(top, n);
  const struct nlattr *nest = top[IPVS_CMD_ATTR_DEST];
  if (!nest) return 0;
  parse_attrs(tb, payload(nest), plen(nest));
  /* a destination's own family (tunnels may differ from their service's, since 4.3); older kernels: the service's */
  int af = tb[IPVS_DEST_ATTR_ADDR_FAMILY] ? (int)uint_attr(tb[IPVS_DEST_ATTR_ADDR_FAMILY]) : c->svc_af;
  OUT_LITERAL("[\"dest\"");
  out_u64((uint64_t)af);
  addr_field(af, tb[IPVS_DEST_ATTR_ADDR]);
  out_u64(be16_attr(tb[IPVS_DEST_ATTR_PORT]));
  out_u64(uint_attr(tb[IPVS_DEST_ATTR_FWD_METHOD]) & IP_VS_CONN_F_FWD_MASK);
  static const int fields[] = {IPVS_DEST_ATTR_WEIGHT,       IPVS_DEST_ATTR_U_THRESH,    IPVS_DEST_ATTR_L_THRESH,
                               IPVS_DEST_ATTR_ACTIVE_CONNS, IPVS_DEST_ATTR_INACT_CONNS, IPVS_DEST_ATTR_PERSIST_CONNS,
                               IPVS_DEST_ATTR_TUN_TYPE};
  for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) out_attr(tb[fields[i]]);
  out_u64(be16_attr(tb[IPVS_DEST_ATTR_TUN_PORT]));
  out_attr(tb[IPVS_DEST_ATTR_TUN_FLAGS]);
  stats_fields(tb[IPVS_DEST_ATTR_STATS64], tb[IPVS_DEST_ATTR_STATS]);
  OUT_LITERAL("]\n");
  c->count++;
  return 0;
}

/* A request about one service, named by the identity attributes of its own dump entry. */
static void service_request(struct req *r, const struct svc *s, uint8_t cmd, uint16_t flags) {
  const struct nlattr *tb[MAX_ATTR];
  parse_attrs(tb, s->nest, s->len);
  req_init(r, ipvs_family, cmd, flags);
  struct nlattr *nest = put(r, IPVS_CMD_ATTR_SERVICE | NLA_F_NESTED, NULL, 0);
  static const int keys[] = {IPVS_SVC_ATTR_AF, IPVS_SVC_ATTR_PROTOCOL, IPVS_SVC_ATTR_ADDR, IPVS_SVC_ATTR_PORT,
                             IPVS_SVC_ATTR_FWMARK};
  for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
    if (tb[keys[i]]) put(r, keys[i], payload(tb[keys[i]]), plen(tb[keys[i]]));
  nest_end(r, nest);
}

/* The destinations of one service. */
static int dump_dests(const struct svc *s, size_t *count) {
  const struct nlattr *tb[MAX_ATTR];
  parse_attrs(tb, s->nest, s->len);
  struct req r;
  service_request(&r, s, IPVS_CMD_GET_DEST, NLM_F_DUMP);
  struct dest_ctx c = {(int)uint_attr(tb[IPVS_SVC_ATTR_AF]), 0};
  int rc = talk(&r, on_dest, &c);
  *count += c.count;
  return rc;
}

static int ignore_answer(const struct nlmsghdr *n, void *ctx) {
  (void)n;
  (void)ctx;
  return 0;
}

/* 1 when the kernel no longer holds the service, 0 when it does, or -errno. */
static int service_gone(const struct svc *s) {
  struct req r;
  service_request(&r, s, IPVS_CMD_GET_SERVICE, 0);
  int rc = talk(&r, ignore_answer, NULL);
  return rc == -ESRCH ? 1 : rc;
}

static int on_config(const struct nlmsghdr *n, void *ctx) {
  (void)ctx;
  const struct nlattr *tb[MAX_ATTR];
  answer_attrs(tb, n);
  OUT_LITERAL("[\"timeouts\"");
  out_attr(tb[IPVS_CMD_ATTR_TIMEOUT_TCP]);
  out_attr(tb[IPVS_CMD_ATTR_TIMEOUT_TCP_FIN]);
  out_attr(tb[IPVS_CMD_ATTR_TIMEOUT_UDP]);
  OUT_LITERAL("]\n");
  return 0;
}

/* ",N", or ",null" when the kernel did not send the attribute */
static void optional_field(const struct nlattr *a) {
  if (a) out_attr(a);
  else OUT_LITERAL(",null");
}

static int on_daemon(const struct nlmsghdr *n, void *ctx) {
  (void)ctx;
  const struct nlattr *top[MAX_ATTR], *tb[MAX_ATTR];
  answer_attrs(top, n);
  const struct nlattr *nest = top[IPVS_CMD_ATTR_DAEMON];
  if (!nest) return 0;
  parse_attrs(tb, payload(nest), plen(nest));
  OUT_LITERAL("[\"daemon\"");
  out_attr(tb[IPVS_DAEMON_ATTR_STATE]);
  string_field(tb[IPVS_DAEMON_ATTR_MCAST_IFN]);
  out_attr(tb[IPVS_DAEMON_ATTR_SYNC_ID]);
  /* maxlen, group, port and ttl came with kernel 4.3: null when absent */
  optional_field(tb[IPVS_DAEMON_ATTR_SYNC_MAXLEN]);
  if (tb[IPVS_DAEMON_ATTR_MCAST_GROUP6]) addr_field(AF_INET6, tb[IPVS_DAEMON_ATTR_MCAST_GROUP6]);
  else if (tb[IPVS_DAEMON_ATTR_MCAST_GROUP]) addr_field(AF_INET, tb[IPVS_DAEMON_ATTR_MCAST_GROUP]);
  else OUT_LITERAL(",null");
  optional_field(tb[IPVS_DAEMON_ATTR_MCAST_PORT]);
  optional_field(tb[IPVS_DAEMON_ATTR_MCAST_TTL]);
  OUT_LITERAL("]\n");
  return 0;
}

/* The request for the one service asked for, named as libipvs names it (af, then fwmark or protocol, address, port). */
static void only_request(struct req *r) {
  req_init(r, ipvs_family, IPVS_CMD_GET_SERVICE, 0);
  struct nlattr *nest = put(r, IPVS_CMD_ATTR_SERVICE | NLA_F_NESTED, NULL, 0);
  put(r, IPVS_SVC_ATTR_AF, &only.af, sizeof(only.af));
  if (only.fwmark) put(r, IPVS_SVC_ATTR_FWMARK, &only.fwmark, sizeof(only.fwmark));
  else {
    put(r, IPVS_SVC_ATTR_PROTOCOL, &only.protocol, sizeof(only.protocol));
    put(r, IPVS_SVC_ATTR_ADDR, only.addr, sizeof(only.addr));
    put(r, IPVS_SVC_ATTR_PORT, &only.port, sizeof(only.port));
  }
  nest_end(r, nest);
}

/* One whole read (or the one service asked for), written out as it goes. */
static int read_table(void) {
  struct req r;
  struct svcs list = {0};
  size_t dests = 0;
  int rc;
  OUT_LITERAL("[\"ipvs-dump\",2]\n");
  failed_step = "IPVS_CMD_GET_SERVICE";
  if (only.af) {
    only_request(&r);
    rc = talk(&r, on_service, &list);
    if (rc == -ESRCH) rc = 0; /* no such service: a stream without it */
  } else {
    req_init(&r, ipvs_family, IPVS_CMD_GET_SERVICE, NLM_F_DUMP);
    rc = talk(&r, on_service, &list);
  }
  size_t services = 0;
  for (size_t i = 0; !rc && i < list.n; i++) {
    size_t at = out.len, before = dests;
    print_service(&list.v[i]);
    failed_step = "IPVS_CMD_GET_DEST";
    rc = dump_dests(&list.v[i], &dests);
    /* The kernel answers the destination dump of a service removed since the service dump with nothing, no error:
     * a service without real servers is looked up again, and left out when it is gone (the table as it is now). */
    if (!rc && dests == before) {
      failed_step = "IPVS_CMD_GET_SERVICE";
      int gone = service_gone(&list.v[i]);
      if (gone < 0) rc = gone;
      else if (gone) {
        out.len = at;
        continue;
      }
    }
    services++;
    if (!rc && out.len >= FLUSH_AT) flush_out();
  }
  if (!rc) {
    failed_step = "IPVS_CMD_GET_CONFIG";
    req_init(&r, ipvs_family, IPVS_CMD_GET_CONFIG, 0);
    rc = talk(&r, on_config, NULL);
  }
  if (!rc && !only.af) {
    failed_step = "IPVS_CMD_GET_DAEMON";
    req_init(&r, ipvs_family, IPVS_CMD_GET_DAEMON, NLM_F_DUMP);
    rc = talk(&r, on_daemon, NULL);
  }
  if (!rc) {
    OUT_LITERAL("[\"end\"");
    out_u64(services);
    out_u64(dests);
    OUT_LITERAL("]\n");
  }
  for (size_t i = 0; i < list.n; i++) free(list.v[i].nest);
  free(list.v);
  return rc;
}

/* --service tcp|udp|sctp ADDRESS PORT, or --fwmark MARK inet|inet6; 0 when the arguments name one service. */
static int parse_only(int argc, char **argv) {
  char *end;
  if (argc == 5 && !strcmp(argv[1], "--service")) {
    const char *p = argv[2];
    only.protocol = !strcmp(p, "tcp") ? IPPROTO_TCP : !strcmp(p, "udp") ? IPPROTO_UDP : !strcmp(p, "sctp") ? IPPROTO_SCTP : 0;
    only.af = inet_pton(AF_INET, argv[3], only.addr) == 1 ? AF_INET : inet_pton(AF_INET6, argv[3], only.addr) == 1 ? AF_INET6 : 0;
    unsigned long port = strtoul(argv[4], &end, 10);
    only.port = htons((uint16_t)port);
    return only.protocol && only.af && !*end && *argv[4] && port <= 65535 ? 0 : -1;
  }
  if (argc == 4 && !strcmp(argv[1], "--fwmark")) {
    unsigned long mark = strtoul(argv[2], &end, 10);
    only.fwmark = (uint32_t)mark;
    only.af = !strcmp(argv[3], "inet") ? AF_INET : !strcmp(argv[3], "inet6") ? AF_INET6 : 0;
    return only.af && !*end && mark && mark <= 0xffffffffUL ? 0 : -1;
  }
  return -1;
}

int main(int argc, char **argv) {
  if (argc > 1 && parse_only(argc, argv)) {
    fprintf(stderr,
            "usage: %s [--service tcp|udp|sctp ADDRESS PORT | --fwmark MARK inet|inet6]: the IPVS table (or that one "
            "service) as JSON lines on stdout\n",
            argv[0]);
    return 2;
  }
  long page = sysconf(_SC_PAGESIZE);
  recv_len = page > 0 ? (size_t)page : 4096;
  rbuf = malloc(recv_len);
  sock = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
  if (!rbuf || sock < 0) {
    fprintf(stderr, "ipvs-dump: netlink socket: %s\n", strerror(errno));
    return 1;
  }
  struct sockaddr_nl local = {.nl_family = AF_NETLINK};
  if (bind(sock, (struct sockaddr *)&local, sizeof(local)) < 0) {
    fprintf(stderr, "ipvs-dump: bind: %s\n", strerror(errno));
    return 1;
  }
  struct req r;
  req_init(&r, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 0);
  put(&r, CTRL_ATTR_FAMILY_NAME, IPVS_GENL_NAME, sizeof(IPVS_GENL_NAME));
  int rc = talk(&r, on_family, NULL);
  if (rc || !ipvs_family) {
    fprintf(stderr, "ipvs-dump: no IPVS generic-netlink family (%s): modprobe ip_vs\n",
            rc ? strerror(-rc) : "no family id");
    return 3;
  }
  /* the agent reads a pipe: a larger one lets the read go on while the agent decodes (best effort) */
  (void)fcntl(STDOUT_FILENO, F_SETPIPE_SZ, 1 << 20);
  rc = read_table();
  if (rc) {
    fprintf(stderr, "ipvs-dump: %s: %s\n", failed_step,
            rc == -EAGAIN ? "the kernel flagged the dump interrupted (the table changed during the read)"
                          : strerror(-rc));
    return 1;
  }
  flush_out();
  return 0;
}

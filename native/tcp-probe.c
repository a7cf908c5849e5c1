/* tcp-probe: the agent's TCP health checks (server/agent/health/tcp-probe.ts), a long-running child that connects.
 *
 * Node's net.connect costs 10-15 us of CPU per check over the kernel's own connect and close (a stream object, a
 * handle, their events): at 1,000 checks a second that alone is more than the agent's 5% of one core (issue #14).
 * Here each probe is a non-blocking socket, a connect, an epoll wait and a close; requests and results are batched
 * lines on pipes, so the agent's side is a line written and a line read per check.
 *
 * stdin, one request a line:  ID ADDRESS PORT TIMEOUT_MS [SOURCE_ADDRESS]     (IPv4 or IPv6 addresses)
 * stdout, one result a line:  ID RESULT LATENCY_US
 *   RESULT: ok (connected, then closed), timeout (not connected within TIMEOUT_MS), cERRNO (the connect failed:
 *   ECONNREFUSED, EHOSTUNREACH... as their number), bERRNO (binding SOURCE_ADDRESS failed), iERRNO (no socket, or a
 *   request that does not parse: EINVAL).
 * Exit: 0 when stdin closes (the agent is gone); 1 on a failure of its own (one line on stderr).
 * Build: cc -O2 -o dist/tcp-probe native/tcp-probe.c (scripts/build-ipvs-dump.mjs builds both helpers). */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#ifndef IP_BIND_ADDRESS_NO_PORT
#define IP_BIND_ADDRESS_NO_PORT 24
#endif

/* A probe under way, indexed by its socket. */
struct probe {
  unsigned long id;
  uint64_t started, deadline;
  uint32_t gen; /* which use of this socket number the heap entries of it belong to */
  int active;
};
struct due {
  uint64_t at;
  int fd;
  uint32_t gen;
};

static struct probe *probes;
static size_t nprobes;
static struct due *heap;
static size_t heap_len, heap_cap;
static char out[65536];
static size_t out_len;

static void fail(const char *what) {
  fprintf(stderr, "tcp-probe: %s: %s\n", what, strerror(errno));
  exit(1);
}

static uint64_t now_us(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (uint64_t)t.tv_sec * 1000000 + (uint64_t)t.tv_nsec / 1000;
}

static void flush(void) {
  size_t done = 0;
  while (done < out_len) {
    ssize_t n = write(1, out + done, out_len - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) exit(0); /* the agent is gone */
    done += (size_t)n;
  }
  out_len = 0;
}

static void result(unsigned long id, char kind, int err, uint64_t latency) {
  if (out_len > sizeof out - 64) flush();
  int n = kind ? snprintf(out + out_len, 64, "%lu %c%d %llu\n", id, kind, err, (unsigned long long)latency)
               : snprintf(out + out_len, 64, "%lu %s %llu\n", id, err ? "timeout" : "ok", (unsigned long long)latency);
  out_len += (size_t)n;
}

static void heap_push(struct due d) {
  if (heap_len == heap_cap) {
    heap_cap = heap_cap ? 2 * heap_cap : 1024;
    heap = realloc(heap, heap_cap * sizeof *heap);
    if (!heap) fail("memory");
  }
  size_t i = heap_len++;
  while (i > 0 && heap[(i - 1) / 2].at > d.at) {
    heap[i] = heap[(i - 1) / 2];
    i = (i - 1) / 2;
  }
  heap[i] = d;
}

static void heap_pop(void) {
  struct due last = heap[--heap_len];
  size_t i = 0;
  for (;;) {
    size_t c = 2 * i + 1;
    if (c >= heap_len) break;
    if (c + 1 < heap_len && heap[c + 1].at < heap[c].at) c++;
    if (heap[c].at >= last.at) break;
    heap[i] = heap[c];
    i = c;
  }
  heap[i] = last;
}

static int parse_addr(const char *text, unsigned port, struct sockaddr_storage *sa, socklen_t *len) {
  memset(sa, 0, sizeof *sa);
  struct sockaddr_in *v4 = (struct sockaddr_in *)sa;
  struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)sa;
  if (inet_pton(AF_INET, text, &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(port);
    *len = sizeof *v4;
    return 0;
  }
  if (inet_pton(AF_INET6, text, &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(port);
    *len = sizeof *v6;
    return 0;
  }
  return -1;
}

static void finish(int fd, int err) {
  struct probe *p = &probes[fd];
  p->active = 0;
  close(fd); /* which takes it out of the epoll set too */
  if (err < 0) result(p->id, 0, 1, now_us() - p->started);
  else result(p->id, err ? 'c' : 0, err, now_us() - p->started);
}

/* A whole decimal number in [min, max], else -1: a port of 99999 or "80x" is refused, not wrapped or cut. */
static long long parse_num(const char *text, long long min, long long max) {
  char *end;
  errno = 0;
  unsigned long long v = strtoull(text, &end, 10);
  if (errno || end == text || *end || text[0] == '-' || v < (unsigned long long)min || v > (unsigned long long)max)
    return -1;
  return (long long)v;
}

/* One request line: start its connect (or answer at once when it cannot start). */
static void start(int ep, char *line) {
  char *f[6];
  int n = 0;
  for (char *s = strtok(line, " "); s && n < 6; s = strtok(NULL, " ")) f[n++] = s;
  unsigned long id = n > 0 ? strtoul(f[0], NULL, 10) : 0;
  uint64_t started = now_us();
  struct sockaddr_storage dst, src;
  socklen_t dst_len, src_len;
  long long port = n >= 4 ? parse_num(f[2], 1, 65535) : -1;
  long long timeout_ms = n >= 4 ? parse_num(f[3], 1, 3600000) : -1;
  if (n < 4 || n > 5 || port < 0 || timeout_ms < 0 || parse_addr(f[1], (unsigned)port, &dst, &dst_len) ||
      (n == 5 && (parse_addr(f[4], 0, &src, &src_len) || src.ss_family != dst.ss_family))) {
    result(id, 'i', EINVAL, 0);
    return;
  }
  int fd = socket(dst.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    result(id, 'i', errno, 0);
    return;
  }
  if (n == 5) {
    int one = 1;
    setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one); /* the port is picked at connect */
    if (bind(fd, (struct sockaddr *)&src, src_len) < 0) {
      result(id, 'b', errno, now_us() - started);
      close(fd);
      return;
    }
  }
  if ((size_t)fd >= nprobes) {
    size_t grown = nprobes ? nprobes : 1024;
    while (grown <= (size_t)fd) grown *= 2;
    probes = realloc(probes, grown * sizeof *probes);
    if (!probes) fail("memory");
    memset(probes + nprobes, 0, (grown - nprobes) * sizeof *probes);
    nprobes = grown;
  }
  struct probe *p = &probes[fd];
  p->id = id;
  p->started = started;
  p->deadline = started + (uint64_t)timeout_ms * 1000;
  p->gen++;
  p->active = 1;
  if (connect(fd, (struct sockaddr *)&dst, dst_len) == 0) {
    p->active = 0;
    close(fd);
    result(id, 0, 0, now_us() - started);
    return;
  }
  if (errno != EINPROGRESS) {
    p->active = 0;
    result(id, 'c', errno, now_us() - started);
    close(fd);
    return;
  }
  struct epoll_event e = {.events = EPOLLOUT, .data.fd = fd};
  if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &e) < 0) fail("epoll_ctl");
  heap_push((struct due){p->deadline, fd, p->gen});
}

int main(void) {
  int ep = epoll_create1(EPOLL_CLOEXEC);
  if (ep < 0) fail("epoll_create1");
  struct epoll_event in = {.events = EPOLLIN, .data.fd = 0};
  if (epoll_ctl(ep, EPOLL_CTL_ADD, 0, &in) < 0) fail("epoll_ctl stdin");
  static char buf[65536];
  size_t have = 0;
  struct epoll_event evs[256];
  for (;;) {
    int wait = -1;
    while (heap_len > 0) {
      struct due *top = &heap[0];
      struct probe *p = &probes[top->fd];
      if (!p->active || p->gen != top->gen) {
        heap_pop(); /* already answered */
        continue;
      }
      uint64_t now = now_us();
      if (top->at <= now) {
        int fd = top->fd;
        heap_pop();
        finish(fd, -1);
        continue;
      }
      wait = (int)((top->at - now + 999) / 1000);
      break;
    }
    if (out_len) flush();
    int k = epoll_wait(ep, evs, 256, wait);
    if (k < 0 && errno != EINTR) fail("epoll_wait");
    for (int j = 0; j < k; j++) {
      int fd = evs[j].data.fd;
      if (fd != 0) {
        int err = 0;
        socklen_t l = sizeof err;
        if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &l) < 0) err = errno;
        finish(fd, err);
        continue;
      }
      ssize_t n = read(0, buf + have, sizeof buf - have);
      if (n == 0) return 0;
      if (n < 0) {
        if (errno == EINTR || errno == EAGAIN) continue;
        fail("read");
      }
      have += (size_t)n;
      char *line = buf, *nl;
      while ((nl = memchr(line, '\n', have - (size_t)(line - buf)))) {
        *nl = 0;
        start(ep, line);
        line = nl + 1;
      }
      have -= (size_t)(line - buf);
      memmove(buf, line, have);
      if (have == sizeof buf) have = 0; /* a line longer than the buffer: not a request */
    }
  }
}

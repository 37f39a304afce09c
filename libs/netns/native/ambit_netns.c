/*
 * Ambit's network-namespace addon: the few Linux socket calls Node.js has no API for.
 *
 *   listenInNetns    setns + socket/bind/listen: a listener that lives in a pod's netns
 *   socketInNetns    setns + socket (+ SO_MARK, IP_TRANSPARENT, bind): an outbound socket
 *                    that lives in a pod's netns, left unconnected for Node to connect
 *   originalDst      getsockopt(SO_ORIGINAL_DST / IP6T_SO_ORIGINAL_DST)
 *   setMark/getMark  setsockopt/getsockopt(SO_MARK)
 *
 * Every call is synchronous and short. setns(CLONE_NEWNET) switches only the calling
 * thread (the JS thread); nothing else runs on it until the call returns, and it always
 * switches back before returning, error or not. A socket keeps the namespace it was
 * created in for its whole life, which is what makes this work. Errors are thrown as
 * Error objects with `code` = the errno name (EPERM, ENOENT, ...), `errno` and `syscall`;
 * libs/netns/src/native.ts turns them into typed Ambit errors.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <node_api.h>

/* From linux/netfilter_ipv4.h and linux/netfilter_ipv6/ip6_tables.h, which clash with
 * the libc headers when included together. */
#ifndef SO_ORIGINAL_DST
#define SO_ORIGINAL_DST 80
#endif
#ifndef IP6T_SO_ORIGINAL_DST
#define IP6T_SO_ORIGINAL_DST 80
#endif
#ifndef IP_BIND_ADDRESS_NO_PORT
#define IP_BIND_ADDRESS_NO_PORT 24
#endif

#define MAX_PATH_LEN 4096
#define MAX_IP_LEN 64

/* A failed system call: which one and its errno, thrown to JS once back in the
 * original namespace. */
typedef struct {
  const char *syscall;
  int errnum;
} failure;

static int fail(failure *f, const char *syscall) {
  f->syscall = syscall;
  f->errnum = errno;
  return -1;
}

static napi_value throw_failure(napi_env env, const failure *f) {
  const char *name = strerrorname_np(f->errnum);
  char message[256];
  snprintf(message, sizeof message, "%s failed: %s", f->syscall, strerror(f->errnum));
  napi_value code, msg, error, syscall, errnum;
  napi_create_string_utf8(env, name != NULL ? name : "EUNKNOWN", NAPI_AUTO_LENGTH, &code);
  napi_create_string_utf8(env, message, NAPI_AUTO_LENGTH, &msg);
  napi_create_error(env, code, msg, &error);
  napi_create_string_utf8(env, f->syscall, NAPI_AUTO_LENGTH, &syscall);
  napi_create_int32(env, f->errnum, &errnum);
  napi_set_named_property(env, error, "syscall", syscall);
  napi_set_named_property(env, error, "errno", errnum);
  napi_throw(env, error);
  return NULL;
}

static napi_value throw_type(napi_env env, const char *message) {
  napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", message);
  return NULL;
}

/* ---- argument helpers: native.ts validates everything first; these only refuse
 * what would be unsafe to pass on (wrong type, over-long string). */

static int arg_string(napi_env env, napi_value value, char *buf, size_t size) {
  size_t len = 0;
  if (napi_get_value_string_utf8(env, value, buf, size, &len) != napi_ok) return -1;
  return len + 1 < size ? 0 : -1;
}

static int arg_int(napi_env env, napi_value value, int32_t *out) {
  return napi_get_value_int32(env, value, out) == napi_ok ? 0 : -1;
}

static int arg_uint(napi_env env, napi_value value, uint32_t *out) {
  return napi_get_value_uint32(env, value, out) == napi_ok ? 0 : -1;
}

static int arg_bool(napi_env env, napi_value value, bool *out) {
  return napi_get_value_bool(env, value, out) == napi_ok ? 0 : -1;
}

/* An IPv4 or IPv6 literal and a port as a sockaddr; returns its length or 0. */
static socklen_t to_sockaddr(const char *ip, int port, struct sockaddr_storage *ss) {
  memset(ss, 0, sizeof *ss);
  struct sockaddr_in *v4 = (struct sockaddr_in *)ss;
  struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)ss;
  if (inet_pton(AF_INET, ip, &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons((uint16_t)port);
    return sizeof *v4;
  }
  if (inet_pton(AF_INET6, ip, &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons((uint16_t)port);
    return sizeof *v6;
  }
  return 0;
}

/* ---- entering and leaving a network namespace ---- */

typedef struct {
  int original; /* the thread's namespace before entering, to return to */
} netns_guard;

static int enter_netns(const char *path, netns_guard *guard, failure *f) {
  guard->original = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
  if (guard->original < 0) return fail(f, "open(/proc/thread-self/ns/net)");
  int target = open(path, O_RDONLY | O_CLOEXEC);
  if (target < 0) {
    fail(f, "open(netns)");
    close(guard->original);
    return -1;
  }
  int rc = setns(target, CLONE_NEWNET);
  if (rc != 0) fail(f, "setns");
  close(target);
  if (rc != 0) close(guard->original);
  return rc;
}

/* Staying in the pod's namespace would silently move every later socket of this
 * process there, so failing to return is fatal rather than an exception. */
static void leave_netns(netns_guard *guard) {
  int saved_errno = errno;
  if (setns(guard->original, CLONE_NEWNET) != 0) {
    napi_fatal_error("ambit_netns", NAPI_AUTO_LENGTH, "cannot return to the original network namespace", NAPI_AUTO_LENGTH);
  }
  close(guard->original);
  errno = saved_errno;
}

/* ---- socket set-up, run inside the target namespace ---- */

static int set_int(int fd, int level, int name, int value, failure *f, const char *what) {
  if (setsockopt(fd, level, name, &value, sizeof value) != 0) return fail(f, what);
  return 0;
}

static int set_transparent(int fd, int family, failure *f) {
  return family == AF_INET ? set_int(fd, SOL_IP, IP_TRANSPARENT, 1, f, "setsockopt(IP_TRANSPARENT)")
                           : set_int(fd, SOL_IPV6, IPV6_TRANSPARENT, 1, f, "setsockopt(IPV6_TRANSPARENT)");
}

static int make_listener(const struct sockaddr_storage *addr, socklen_t len, bool transparent, int backlog, failure *f) {
  int fd = socket(addr->ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return fail(f, "socket");
  /* As Node does for its own listeners: a restarted proxy can rebind at once. */
  if (set_int(fd, SOL_SOCKET, SO_REUSEADDR, 1, f, "setsockopt(SO_REUSEADDR)") != 0 ||
      /* One family per listener: "::" beside "0.0.0.0" on the same port, and each
       * accepted socket's original destination looked up in its own family's table. */
      (addr->ss_family == AF_INET6 && set_int(fd, SOL_IPV6, IPV6_V6ONLY, 1, f, "setsockopt(IPV6_V6ONLY)") != 0) ||
      (transparent && set_transparent(fd, addr->ss_family, f) != 0)) {
    goto error;
  }
  if (bind(fd, (const struct sockaddr *)addr, len) != 0) {
    fail(f, "bind");
    goto error;
  }
  if (listen(fd, backlog) != 0) {
    fail(f, "listen");
    goto error;
  }
  return fd;
error:
  close(fd);
  return -1;
}

static int make_socket(int family, bool has_mark, uint32_t mark, bool transparent, const struct sockaddr_storage *bind_addr, socklen_t bind_len,
                       failure *f) {
  int fd = socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return fail(f, "socket");
  if ((has_mark && set_int(fd, SOL_SOCKET, SO_MARK, (int)mark, f, "setsockopt(SO_MARK)") != 0) ||
      (transparent && set_transparent(fd, family, f) != 0)) {
    goto error;
  }
  if (bind_len > 0) {
    /* A source address without a port: let connect() pick the port, so that many
     * connections from one client address do not exhaust the ephemeral ports early. */
    struct sockaddr_in *v4 = (struct sockaddr_in *)bind_addr;
    if (v4->sin_port == 0 && set_int(fd, SOL_IP, IP_BIND_ADDRESS_NO_PORT, 1, f, "setsockopt(IP_BIND_ADDRESS_NO_PORT)") != 0) goto error;
    if (bind(fd, (const struct sockaddr *)bind_addr, bind_len) != 0) {
      fail(f, "bind");
      goto error;
    }
  }
  return fd;
error:
  close(fd);
  return -1;
}

/* ---- exported functions ---- */

/* listenInNetns(path, ip, port, backlog, transparent) -> fd */
static napi_value listen_in_netns(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  char path[MAX_PATH_LEN], ip[MAX_IP_LEN];
  int32_t port, backlog;
  bool transparent;
  if (argc != 5 || arg_string(env, argv[0], path, sizeof path) || arg_string(env, argv[1], ip, sizeof ip) || arg_int(env, argv[2], &port) ||
      arg_int(env, argv[3], &backlog) || arg_bool(env, argv[4], &transparent)) {
    return throw_type(env, "listenInNetns(path: string, ip: string, port: number, backlog: number, transparent: boolean)");
  }
  struct sockaddr_storage addr;
  socklen_t len = to_sockaddr(ip, port, &addr);
  if (len == 0 || port < 0 || port > 65535) return throw_type(env, "listenInNetns: ip must be an IP literal and port 0-65535");

  failure f = {0};
  netns_guard guard;
  if (enter_netns(path, &guard, &f) != 0) return throw_failure(env, &f);
  int fd = make_listener(&addr, len, transparent, backlog, &f);
  leave_netns(&guard);
  if (fd < 0) return throw_failure(env, &f);
  napi_value result;
  napi_create_int32(env, fd, &result);
  return result;
}

/* socketInNetns(path, family 4|6, mark (-1: none), transparent, bindIp|null, bindPort) -> fd */
static napi_value socket_in_netns(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value argv[6];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  char path[MAX_PATH_LEN], ip[MAX_IP_LEN] = "";
  int32_t family, bind_port;
  int64_t mark;
  bool transparent;
  napi_valuetype ip_type = napi_null;
  if (argc != 6 || arg_string(env, argv[0], path, sizeof path) || arg_int(env, argv[1], &family) ||
      napi_get_value_int64(env, argv[2], &mark) != napi_ok || arg_bool(env, argv[3], &transparent) ||
      napi_typeof(env, argv[4], &ip_type) != napi_ok || (ip_type != napi_null && arg_string(env, argv[4], ip, sizeof ip)) ||
      arg_int(env, argv[5], &bind_port)) {
    return throw_type(env, "socketInNetns(path: string, family: 4 | 6, mark: number, transparent: boolean, bindIp: string | null, bindPort: number)");
  }
  if ((family != 4 && family != 6) || mark < -1 || mark > 0xffffffffLL) return throw_type(env, "socketInNetns: family must be 4 or 6, mark -1 or a uint32");
  struct sockaddr_storage addr;
  socklen_t len = 0;
  if (ip_type != napi_null) {
    len = to_sockaddr(ip, bind_port, &addr);
    int expected = family == 4 ? AF_INET : AF_INET6;
    if (len == 0 || addr.ss_family != expected || bind_port < 0 || bind_port > 65535) {
      return throw_type(env, "socketInNetns: bindIp must be an IP literal of the socket's family and bindPort 0-65535");
    }
  }

  failure f = {0};
  netns_guard guard;
  if (enter_netns(path, &guard, &f) != 0) return throw_failure(env, &f);
  int fd = make_socket(family == 4 ? AF_INET : AF_INET6, mark >= 0, (uint32_t)mark, transparent, &addr, len, &f);
  leave_netns(&guard);
  if (fd < 0) return throw_failure(env, &f);
  napi_value result;
  napi_create_int32(env, fd, &result);
  return result;
}

/* originalDst(fd) -> [ip, port]: where the client meant to connect before a
 * REDIRECT/DNAT rule sent it here (looked up in conntrack by the kernel). */
static napi_value original_dst(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  int32_t fd;
  if (argc != 1 || arg_int(env, argv[0], &fd)) return throw_type(env, "originalDst(fd: number)");

  failure f = {0};
  struct sockaddr_storage local;
  socklen_t len = sizeof local;
  if (getsockname(fd, (struct sockaddr *)&local, &len) != 0) return throw_failure(env, (fail(&f, "getsockname"), &f));

  struct sockaddr_storage dst;
  memset(&dst, 0, sizeof dst);
  len = sizeof dst;
  int rc = local.ss_family == AF_INET6 ? getsockopt(fd, SOL_IPV6, IP6T_SO_ORIGINAL_DST, &dst, &len)
                                       : getsockopt(fd, SOL_IP, SO_ORIGINAL_DST, &dst, &len);
  if (rc != 0) return throw_failure(env, (fail(&f, local.ss_family == AF_INET6 ? "getsockopt(IP6T_SO_ORIGINAL_DST)" : "getsockopt(SO_ORIGINAL_DST)"), &f));

  char ip[INET6_ADDRSTRLEN];
  uint16_t port;
  if (dst.ss_family == AF_INET6) {
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&dst;
    inet_ntop(AF_INET6, &v6->sin6_addr, ip, sizeof ip);
    port = ntohs(v6->sin6_port);
  } else {
    struct sockaddr_in *v4 = (struct sockaddr_in *)&dst;
    inet_ntop(AF_INET, &v4->sin_addr, ip, sizeof ip);
    port = ntohs(v4->sin_port);
  }
  napi_value result, ip_value, port_value;
  napi_create_array_with_length(env, 2, &result);
  napi_create_string_utf8(env, ip, NAPI_AUTO_LENGTH, &ip_value);
  napi_create_uint32(env, port, &port_value);
  napi_set_element(env, result, 0, ip_value);
  napi_set_element(env, result, 1, port_value);
  return result;
}

/* setMark(fd, mark) */
static napi_value set_mark(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  int32_t fd;
  uint32_t mark;
  if (argc != 2 || arg_int(env, argv[0], &fd) || arg_uint(env, argv[1], &mark)) return throw_type(env, "setMark(fd: number, mark: number)");
  failure f = {0};
  if (set_int(fd, SOL_SOCKET, SO_MARK, (int)mark, &f, "setsockopt(SO_MARK)") != 0) return throw_failure(env, &f);
  return NULL;
}

/* getMark(fd) -> mark */
static napi_value get_mark(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  int32_t fd;
  if (argc != 1 || arg_int(env, argv[0], &fd)) return throw_type(env, "getMark(fd: number)");
  uint32_t mark = 0;
  socklen_t len = sizeof mark;
  failure f = {0};
  if (getsockopt(fd, SOL_SOCKET, SO_MARK, &mark, &len) != 0) return throw_failure(env, (fail(&f, "getsockopt(SO_MARK)"), &f));
  napi_value result;
  napi_create_uint32(env, mark, &result);
  return result;
}

NAPI_MODULE_INIT() {
  napi_property_descriptor properties[] = {
      {"listenInNetns", NULL, listen_in_netns, NULL, NULL, NULL, napi_enumerable, NULL},
      {"socketInNetns", NULL, socket_in_netns, NULL, NULL, NULL, napi_enumerable, NULL},
      {"originalDst", NULL, original_dst, NULL, NULL, NULL, napi_enumerable, NULL},
      {"setMark", NULL, set_mark, NULL, NULL, NULL, napi_enumerable, NULL},
      {"getMark", NULL, get_mark, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  napi_define_properties(env, exports, sizeof properties / sizeof properties[0], properties);
  return exports;
}

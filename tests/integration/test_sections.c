/* Integration tests: the files, exec and network sections enforced on real
 * programs, each with an allowed and a denied case, checking both what the
 * program saw and the audit line. */
#include <check.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "harness.h"

#define ROOT "/tmp/fhirguard-sections"

static char log_path[256];

static void setup(void)
{
	ck_assert_int_eq(system("rm -rf " ROOT " && mkdir -p " ROOT "/data " ROOT "/kill && "
				"echo secret-ish > " ROOT "/kill/x && echo trip > " ROOT
				"/tripwire && echo hello > " ROOT "/data/in"),
			 0);
	temp_log_path(log_path, sizeof(log_path), "sections");
}

static void teardown(void)
{
	unlink(log_path);
	ck_assert_int_eq(system("rm -rf " ROOT), 0);
}

/* Runs `sh -c script` under fhirguard with the sections policy. */
static void run_script(struct run *r, const char *script)
{
	char policy[1024];
	source_path("tests/integration/policies/sections.json", policy, sizeof(policy));
	char *argv[] = { (char *)fhirguard_path(),
			 "--policy",
			 policy,
			 "--log",
			 log_path,
			 "--",
			 "/bin/sh",
			 "-c",
			 (char *)script,
			 NULL };
	run_sync(r, argv, 60);
}

static int log_lines_with(const char *const needles[])
{
	char *log = read_file(log_path);
	int n = log ? count_lines_with(log, needles) : -1;
	free(log);
	return n;
}

static int denials(void)
{
	const char *const needles[] = { "\"type\":\"syscall\"", NULL };
	return log_lines_with(needles);
}

START_TEST(file_read_allowed)
{
	struct run r;
	run_script(&r, "cat /etc/hostname >/dev/null && cat " ROOT "/data/in");
	ck_assert_msg(r.exit_code == 0, "exit %d err %s", r.exit_code, r.err);
	ck_assert_str_eq(r.out, "hello\n");
	ck_assert_int_eq(denials(), 0);
	run_free(&r);
}
END_TEST

START_TEST(file_read_denied_by_rule)
{
	struct run r;
	run_script(&r, "cat /etc/shadow; echo rc=$?");
	ck_assert_ptr_nonnull(strstr(r.err, "Operation not permitted"));
	ck_assert_ptr_nonnull(strstr(r.out, "rc=1"));
	const char *const line[] = { "\"verdict\":\"deny\"", "\"errno\":\"EPERM\"",
				     "\"rule\":\"secrets\"", "\"path\":\"/etc/shadow\"",
				     "\"rights\":\"read\"",  NULL };
	ck_assert_int_eq(log_lines_with(line), 1);
	run_free(&r);
}
END_TEST

START_TEST(file_write_allowed_and_denied)
{
	struct run r;
	run_script(&r, "echo x > " ROOT "/data/out && cat " ROOT "/data/out; "
		       "echo y > " ROOT "/elsewhere; echo rc=$?");
	ck_assert_ptr_nonnull(strstr(r.out, "x\n"));
	ck_assert_ptr_nonnull(strstr(r.out, "rc=2"));
	ck_assert_ptr_nonnull(strstr(r.err, "Permission denied"));
	const char *const line[] = { "\"rule\":\"files.default\"",
				     "\"path\":\"" ROOT "/elsewhere\"", "\"errno\":\"EACCES\"",
				     NULL };
	ck_assert_int_eq(log_lines_with(line), 1);
	ck_assert_int_eq(denials(), 1);
	struct stat st;
	ck_assert_int_ne(stat(ROOT "/elsewhere", &st), 0);
	run_free(&r);
}
END_TEST

/* A symlink planted in a writable directory, and "..", resolve to the
 * file the kernel would open. */
START_TEST(symlink_and_dotdot_tricks)
{
	struct run r;
	run_script(&r,
		   "ln -s /etc/shadow " ROOT "/data/link && cat " ROOT "/data/link; echo rc=$?; "
		   "cat " ROOT "/data/../../../etc/shadow; echo rc=$?");
	ck_assert_int_eq(count_substr(r.out, "rc=1"), 2);
	const char *const line[] = { "\"rule\":\"secrets\"", "\"path\":\"/etc/shadow\"", NULL };
	ck_assert_int_eq(log_lines_with(line), 2);
	run_free(&r);
}
END_TEST

START_TEST(file_kill_rule)
{
	struct run r;
	run_script(&r, "cat " ROOT "/kill/x; echo rc=$?");
	ck_assert_msg(strstr(r.out, "rc=159") != NULL, "out %s", r.out);
	const char *const line[] = { "\"verdict\":\"kill\"", "\"rule\":\"kill-zone\"", NULL };
	ck_assert_int_eq(log_lines_with(line), 1);
	run_free(&r);
}
END_TEST

START_TEST(exec_allowed_and_denied)
{
	struct run r;
	run_script(&r, "/usr/bin/true && echo true-ran; /usr/bin/id; echo rc=$?");
	ck_assert_ptr_nonnull(strstr(r.out, "true-ran"));
	ck_assert_msg(strstr(r.out, "rc=126") != NULL, "out %s err %s", r.out, r.err);
	const char *const line[] = { "\"kind\":\"exec\"", "\"path\":\"/usr/bin/id\"",
				     "\"rule\":\"exec.default\"", NULL };
	ck_assert_int_eq(log_lines_with(line), 1);
	ck_assert_int_eq(denials(), 1);
	run_free(&r);
}
END_TEST

/* Argument patterns see the whole argument: "curl" after 400 bytes (an
 * argument was once read only up to 255 bytes) is still found. */
START_TEST(exec_argument_patterns_see_long_arguments)
{
	struct run r;
	run_script(&r, "a=aaaaaaaaaa; a=$a$a$a$a$a$a$a$a$a$a; a=$a$a$a$a; "
		       "/usr/bin/echo \"${a}curl\" >/dev/null; echo rc=$?; "
		       "/usr/bin/echo \"${a}\" >/dev/null && echo plain-ran");
	ck_assert_msg(strstr(r.out, "rc=126") != NULL, "out %s err %s", r.out, r.err);
	ck_assert_ptr_nonnull(strstr(r.out, "plain-ran"));
	const char *const line[] = { "\"kind\":\"exec\"", "\"rule\":\"no-curl-in-echo\"",
				     "aaacurl\"", NULL };
	ck_assert_int_eq(log_lines_with(line), 1);
	ck_assert_int_eq(denials(), 1);
	run_free(&r);
}
END_TEST

/* A "stop" rule: the offending process and everything else in the
 * container die, and fhirguard exits 123. */
START_TEST(file_stop_rule_stops_the_container)
{
	struct run r;
	run_script(&r, "sleep 60 & cat " ROOT "/tripwire; echo after");
	ck_assert_msg(r.exit_code == 123, "exit %d out %s err %s", r.exit_code, r.out, r.err);
	ck_assert_ptr_null(strstr(r.out, "after"));
	ck_assert_ptr_nonnull(strstr(r.err, "\"stop\" rule"));
	const char *const line[] = { "\"verdict\":\"stop\"", "\"rule\":\"tripwire\"", NULL };
	ck_assert_int_eq(log_lines_with(line), 1);
	run_free(&r);
}
END_TEST

/* Socket families other than inet, inet6 and unix need naming. */
START_TEST(netlink_socket_refused)
{
	struct run r;
	run_script(
	    &r,
	    "/usr/bin/python3 -c \"\n"
	    "import socket\n"
	    "try:\n"
	    "    socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0); print('netlink opened')\n"
	    "except OSError as e:\n"
	    "    print('netlink', e.errno)\n"
	    "\"");
	ck_assert_msg(strstr(r.out, "netlink 97") != NULL, "out %s err %s", r.out, r.err);
	const char *const line[] = { "\"syscall\":\"socket\"", "\"errno\":\"EAFNOSUPPORT\"",
				     "\"kind\":\"socket\"", NULL };
	ck_assert_int_eq(log_lines_with(line), 1);
	run_free(&r);
}
END_TEST

/* A listening socket natively, for the connect cases. */
static int listen_on(int port)
{
	int s = socket(AF_INET, SOCK_STREAM, 0);
	int one = 1;
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_port = htons((uint16_t)port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	ck_assert_int_eq(bind(s, (struct sockaddr *)&a, sizeof(a)), 0);
	ck_assert_int_eq(listen(s, 8), 0);
	return s;
}

START_TEST(network_connect_allowed_and_denied)
{
	int allowed = listen_on(20042);
	int forbidden = listen_on(20242);
	struct run r;
	run_script(&r, "/usr/bin/python3 -c \"\n"
		       "import socket\n"
		       "for port in (20042, 20242):\n"
		       "    s = socket.socket()\n"
		       "    try:\n"
		       "        s.connect(('127.0.0.1', port)); print(port, 'connected')\n"
		       "    except OSError as e:\n"
		       "        print(port, type(e).__name__, e.errno)\n"
		       "\"");
	close(allowed);
	close(forbidden);
	ck_assert_msg(strstr(r.out, "20042 connected") != NULL, "out %s err %s", r.out, r.err);
	ck_assert_msg(strstr(r.out, "20242 PermissionError 13") != NULL, "out %s", r.out);
	const char *const line[] = { "\"operation\":\"connect\"", "\"protocol\":\"tcp\"",
				     "\"address\":\"127.0.0.1:20242\"",
				     "\"rule\":\"network.default\"", NULL };
	ck_assert_int_eq(log_lines_with(line), 1);
	run_free(&r);
}
END_TEST

/* Allowed inet connects are performed by the supervisor on a duplicate of
 * the socket (lib/netproxy.h): the program must not see a difference. */
START_TEST(network_connect_semantics_kept_by_the_supervisor)
{
	int listener = listen_on(20043);
	struct run r;
	run_script(&r,
		   "/usr/bin/python3 -c \"\n"
		   "import socket, errno, select\n"
		   "s = socket.socket(); s.connect(('127.0.0.1', 20043))\n"
		   "s.sendall(b'ping'); print('blocking peer', s.getpeername()[1])\n"
		   "s = socket.socket()\n"
		   "try:\n"
		   "    s.connect(('127.0.0.1', 20044)); print('20044 connected')\n"
		   "except OSError as e:\n"
		   "    print('20044 errno', e.errno)\n"
		   "s = socket.socket(); s.setblocking(False)\n"
		   "rc = s.connect_ex(('127.0.0.1', 20043))\n"
		   "select.select([], [s], [], 10)\n"
		   "print('nonblocking', rc in (0, errno.EINPROGRESS), "
		   "s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR), s.getpeername()[1])\n"
		   "s = socket.socket(socket.AF_INET6); s.connect(('::ffff:127.0.0.1', 20043))\n"
		   "print('mapped peer', s.getpeername()[1])\n"
		   "u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
		   "u.connect(('127.0.0.1', 20045)); print('udp peer', u.getpeername()[1])\n"
		   "s = socket.socket(); s.settimeout(5); s.connect(('127.0.0.1', 20043))\n"
		   "print('timeout peer', s.getpeername()[1])\n"
		   "u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
		   "print('udp sent', u.sendto(b'hello', ('127.0.0.1', 20045)))\n"
		   "t = socket.socket()\n"
		   "try:\n"
		   "    t.sendto(b'x', socket.MSG_FASTOPEN, ('127.0.0.1', 20043))\n"
		   "except OSError as e:\n"
		   "    print('fastopen errno', e.errno)\n"
		   "\"");
	close(listener);
	ck_assert_msg(strstr(r.out, "blocking peer 20043") != NULL, "out %s err %s", r.out, r.err);
	ck_assert_msg(strstr(r.out, "20044 errno 111") != NULL, "out %s", r.out); /* refused */
	ck_assert_msg(strstr(r.out, "nonblocking True 0 20043") != NULL, "out %s", r.out);
	ck_assert_msg(strstr(r.out, "mapped peer 20043") != NULL, "out %s", r.out);
	ck_assert_msg(strstr(r.out, "udp peer 20045") != NULL, "out %s", r.out);
	ck_assert_msg(strstr(r.out, "timeout peer 20043") != NULL, "out %s", r.out);
	ck_assert_msg(strstr(r.out, "udp sent 5") != NULL, "out %s", r.out);
	/* TCP Fast Open connects inside sendto: refused as EOPNOTSUPP. */
	ck_assert_msg(strstr(r.out, "fastopen errno 95") != NULL, "out %s", r.out);
	ck_assert_int_eq(r.exit_code, 0);
	const char *const fastopen[] = { "\"reason\":\"TCP Fast Open is refused\"", NULL };
	ck_assert_int_eq(log_lines_with(fastopen), 1);
	ck_assert_int_eq(denials(), 1);
	run_free(&r);
}
END_TEST

/* The poll(2) a supervisor-started blocking connect waits in may itself be
 * traced by the policy: the kernel re-checks a syscall the tracer rewrote
 * without a second stop (a RET_TRACE on that re-check passes), so the
 * program still gets connect's result, with its registers as they were. */
START_TEST(blocking_connect_when_poll_is_traced)
{
	int listener = listen_on(20043);
	char policy[1024];
	source_path("tests/integration/policies/sections-poll-traced.json", policy, sizeof(policy));
	char *argv[] = { (char *)fhirguard_path(),
			 "--policy",
			 policy,
			 "--log",
			 log_path,
			 "--",
			 "/usr/bin/python3",
			 "-c",
			 "import socket\n"
			 "for i in range(3):\n"
			 "    s = socket.socket(); s.connect(('127.0.0.1', 20043))\n"
			 "    print('peer', s.getpeername()[1])\n"
			 "s = socket.socket()\n"
			 "try:\n"
			 "    s.connect(('127.0.0.1', 20044))\n"
			 "except OSError as e:\n"
			 "    print('20044 errno', e.errno)\n",
			 NULL };
	struct run r;
	run_sync(&r, argv, 60);
	close(listener);
	ck_assert_msg(r.exit_code == 0, "exit %d: %s %s", r.exit_code, r.out, r.err);
	ck_assert_msg(strstr(r.out, "peer 20043\npeer 20043\npeer 20043\n") != NULL, "out %s",
		      r.out);
	ck_assert_msg(strstr(r.out, "20044 errno 111") != NULL, "out %s", r.out);
	ck_assert_int_eq(denials(), 0);
	run_free(&r);
}
END_TEST

/* The start line gives fhirguard's own nice value (raised by 10 when it
 * may, here as root) while the program keeps the one fhirguard started
 * with; the exit line counts the supervisor's stops. */
START_TEST(supervisor_priority_and_stop_counts)
{
	struct run r;
	run_script(&r,
		   "/usr/bin/python3 -c 'import os; print(os.getpriority(os.PRIO_PROCESS, 0))'; "
		   "cat /tmp/fhirguard-sections/data/in");
	ck_assert_msg(r.exit_code == 0, "exit %d: %s", r.exit_code, r.err);
	ck_assert_msg(strncmp(r.out, "0\n", 2) == 0, "the program's nice: %s", r.out);
	const char *const start[] = { "\"type\":\"start\"", "\"supervisor_nice\":-10", NULL };
	ck_assert_int_eq(log_lines_with(start), 1);
	/* sh, python3 and cat: at least their execs and opens stopped. */
	const char *const exit_line[] = { "\"type\":\"exit\"",
					  "\"stops\":{\"seccomp\":", "\"refused\":", "\"killed\":0",
					  NULL };
	ck_assert_int_eq(log_lines_with(exit_line), 1);
	run_free(&r);
}
END_TEST

/* Unix socket paths are resolved like file paths: a symlink planted in
 * the allowed directory does not lead to a socket outside it, and a socket
 * that does not exist gets the kernel's ENOENT without an audit line. */
START_TEST(unix_socket_paths_are_resolved)
{
	int outside = socket(AF_UNIX, SOCK_STREAM, 0);
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	snprintf(a.sun_path, sizeof(a.sun_path), "%s", ROOT "/outside.sock");
	ck_assert_int_eq(bind(outside, (struct sockaddr *)&a, sizeof(a)), 0);
	ck_assert_int_eq(listen(outside, 8), 0);
	ck_assert_int_eq(symlink("../outside.sock", ROOT "/data/link.sock"), 0);
	struct run r;
	run_script(&r, "/usr/bin/python3 -c \"\n"
		       "import socket\n"
		       "for name in ('link.sock', 'missing.sock'):\n"
		       "    u = socket.socket(socket.AF_UNIX)\n"
		       "    try:\n"
		       "        u.connect('" ROOT "/data/' + name); print(name, 'connected')\n"
		       "    except OSError as e:\n"
		       "        print(name, e.errno)\n"
		       "\"");
	close(outside);
	ck_assert_msg(strstr(r.out, "link.sock 13") != NULL, "out %s err %s", r.out, r.err);
	ck_assert_msg(strstr(r.out, "missing.sock 2") != NULL, "out %s", r.out);
	const char *const line[] = { "\"operation\":\"connect\"",
				     "\"address\":\"unix:" ROOT "/outside.sock\"", NULL };
	ck_assert_int_eq(log_lines_with(line), 1);
	ck_assert_int_eq(denials(), 1);
	run_free(&r);
}
END_TEST

/* sendmmsg with destination addresses is refused, on unix sockets too: the
 * kernel would read each address again from the program's memory, after
 * the check. sendto and a connected sendmmsg (no addresses) work. */
START_TEST(sendmmsg_with_addresses_is_refused)
{
	int receiver = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	snprintf(a.sun_path, sizeof(a.sun_path), "%s", ROOT "/data/d.sock");
	ck_assert_int_eq(bind(receiver, (struct sockaddr *)&a, sizeof(a)), 0);
	struct run r;
	run_script(
	    &r,
	    "/usr/bin/python3 -c \"\n"
	    "import ctypes, socket, struct\n"
	    "path = b'" ROOT "/data/d.sock'\n"
	    "s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)\n"
	    "print('sendto', s.sendto(b'one', path))\n"
	    "class iovec(ctypes.Structure):\n"
	    "    _fields_ = [('base', ctypes.c_char_p), ('len', ctypes.c_size_t)]\n"
	    "class msghdr(ctypes.Structure):\n"
	    "    _fields_ = [('name', ctypes.c_char_p), ('namelen', ctypes.c_uint32),\n"
	    "                ('iov', ctypes.POINTER(iovec)), ('iovlen', ctypes.c_size_t),\n"
	    "                ('control', ctypes.c_void_p), ('controllen', ctypes.c_size_t),\n"
	    "                ('flags', ctypes.c_int)]\n"
	    "class mmsghdr(ctypes.Structure):\n"
	    "    _fields_ = [('hdr', msghdr), ('len', ctypes.c_uint)]\n"
	    "libc = ctypes.CDLL(None, use_errno=True)\n"
	    "def sendmmsg(sock, name):\n"
	    "    iov = iovec(b'two', 3)\n"
	    "    h = msghdr(name, len(name) if name else 0, ctypes.pointer(iov), 1, None, 0, 0)\n"
	    "    m = mmsghdr(h, 0)\n"
	    "    ret = libc.sendmmsg(sock.fileno(), ctypes.byref(m), 1, 0)\n"
	    "    return ret, ctypes.get_errno() if ret < 0 else 0\n"
	    "addr = struct.pack('H', socket.AF_UNIX) + path + b'\\\\0'\n"
	    "print('addressed', *sendmmsg(s, addr))\n"
	    "c = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); c.connect(path)\n"
	    "print('connected', *sendmmsg(c, None))\n"
	    "\"");
	char got[16][8];
	int received = 0;
	while (received < 16 && recv(receiver, got[received], sizeof(got[0]), 0) > 0)
		received++;
	close(receiver);
	ck_assert_msg(strstr(r.out, "sendto 3") != NULL, "out %s err %s", r.out, r.err);
	ck_assert_msg(strstr(r.out, "addressed -1 95") != NULL, "out %s", r.out); /* EOPNOTSUPP */
	ck_assert_msg(strstr(r.out, "connected 1 0") != NULL, "out %s", r.out);
	ck_assert_int_eq(received, 2); /* "one" and the connected "two" */
	const char *const line[] = { "\"syscall\":\"sendmmsg\"",
				     "\"reason\":\"sendmmsg with destination addresses is refused",
				     NULL };
	ck_assert_int_eq(log_lines_with(line), 1);
	ck_assert_int_eq(denials(), 1);
	run_free(&r);
}
END_TEST

/* mkdir of a name that exists gets the kernel's EEXIST, not a denial, even
 * where the policy gives no create right (mkdir -p of a data directory). */
START_TEST(mkdir_of_an_existing_name_is_eexist)
{
	struct run r;
	run_script(&r, "/usr/bin/python3 -c \"\n"
		       "import os, errno\n"
		       "os.makedirs('/tmp', exist_ok=True); print('makedirs ok')\n"
		       "try:\n"
		       "    os.mkdir('/etc')\n"
		       "except OSError as e:\n"
		       "    print('mkdir /etc errno', e.errno)\n"
		       "try:\n"
		       "    os.mkdir('/etc/fhirguard-new')\n"
		       "except OSError as e:\n"
		       "    print('mkdir new errno', e.errno)\n"
		       "\"");
	ck_assert_msg(strstr(r.out, "makedirs ok") != NULL, "out %s err %s", r.out, r.err);
	ck_assert_msg(strstr(r.out, "mkdir /etc errno 17") != NULL, "out %s", r.out);
	ck_assert_msg(strstr(r.out, "mkdir new errno 13") != NULL, "out %s", r.out);
	/* Only the real denial has a line. */
	ck_assert_int_eq(denials(), 1);
	run_free(&r);
}
END_TEST

/* A path call runs with the resolved path (lib/inspect.c), except with
 * AT_EMPTY_PATH and "": it acts on its descriptor, which may be a symlink
 * opened with O_PATH|O_NOFOLLOW. Rewritten to the symlink's path it would
 * follow the symlink and change its target, which the policy refuses
 * (metadata outside the data directory). */
START_TEST(empty_path_acts_on_the_descriptor)
{
	struct run r;
	run_script(&r, "/usr/bin/python3 -c \"\n"
		       "import os, ctypes\n"
		       "libc = ctypes.CDLL(None, use_errno=True)\n"
		       "link = '" ROOT "/data/link'\n"
		       "os.symlink('/etc/hostname', link)\n"
		       "fd = os.open(link, os.O_PATH | os.O_NOFOLLOW)\n"
		       "before = os.stat('/etc/hostname').st_uid\n"
		       "rc = libc.fchownat(fd, b'', 4321, 4321, 0x1000)\n"
		       "print('fchownat', rc, ctypes.get_errno())\n"
		       "print('link uid', os.lstat(link).st_uid)\n"
		       "print('target unchanged', os.stat('/etc/hostname').st_uid == before)\n"
		       "\"");
	ck_assert_msg(strstr(r.out, "fchownat 0 0") != NULL, "out %s err %s", r.out, r.err);
	ck_assert_msg(strstr(r.out, "link uid 4321") != NULL, "out %s", r.out);
	ck_assert_msg(strstr(r.out, "target unchanged True") != NULL, "out %s", r.out);
	ck_assert_int_eq(denials(), 0);
	/* symlink and fchownat ran under the path lock: each stopped again at
	 * its exit, and the exit line counts those stops. */
	const char *const exit_line[] = { "\"type\":\"exit\"", "\"exit\":", NULL };
	const char *const no_exit_stops[] = { "\"type\":\"exit\"", "\"exit\":0}", NULL };
	ck_assert_int_eq(log_lines_with(exit_line), 1);
	ck_assert_int_eq(log_lines_with(no_exit_stops), 0);
	run_free(&r);
}
END_TEST

/* The supervisor performs an allowed bind itself, but never lends its own
 * privilege: a program without CAP_NET_BIND_SERVICE gets EACCES for a port
 * below 1024, as natively, even when fhirguard runs as root. */
START_TEST(privileged_bind_is_not_lent)
{
	struct run r;
	run_script(&r, "/usr/bin/python3 -c \"\n"
		       "import socket\n"
		       "s = socket.socket(); s.bind(('127.0.0.1', 80)); print('root bound 80')\n"
		       "\" && /usr/bin/setpriv --reuid 65534 --regid 65534 --clear-groups "
		       "/usr/bin/python3 -c \"\n"
		       "import socket\n"
		       "for family, host in ((socket.AF_INET, '127.0.0.1'), (socket.AF_INET6, "
		       "'::ffff:127.0.0.1')):\n"
		       "    s = socket.socket(family)\n"
		       "    try:\n"
		       "        s.bind((host, 80)); print(family, 'nobody bound 80')\n"
		       "    except OSError as e:\n"
		       "        print(int(family), 'nobody errno', e.errno)\n"
		       "\"");
	ck_assert_msg(strstr(r.out, "root bound 80") != NULL, "out %s err %s", r.out, r.err);
	ck_assert_msg(strstr(r.out, "2 nobody errno 13") != NULL, "out %s err %s", r.out, r.err);
	ck_assert_msg(strstr(r.out, "10 nobody errno 13") != NULL, "out %s err %s", r.out, r.err);
	ck_assert_ptr_null(strstr(r.out, "nobody bound"));
	run_free(&r);
}
END_TEST

START_TEST(network_bind_and_unix)
{
	struct run r;
	run_script(&r, "/usr/bin/python3 -c \"\n"
		       "import socket, os\n"
		       "for port in (20150, 20250):\n"
		       "    s = socket.socket()\n"
		       "    try:\n"
		       "        s.bind(('127.0.0.1', port)); s.listen(); print(port, 'listening')\n"
		       "    except OSError as e:\n"
		       "        print(port, type(e).__name__, e.errno)\n"
		       "for path in ('" ROOT "/data/a.sock', '" ROOT "/data/a.txt'):\n"
		       "    u = socket.socket(socket.AF_UNIX)\n"
		       "    try:\n"
		       "        u.bind(path); print(os.path.basename(path), 'bound')\n"
		       "    except OSError as e:\n"
		       "        print(os.path.basename(path), e.errno)\n"
		       "\"");
	ck_assert_msg(strstr(r.out, "20150 listening") != NULL, "out %s err %s", r.out, r.err);
	ck_assert_ptr_nonnull(strstr(r.out, "20250 PermissionError 13"));
	ck_assert_ptr_nonnull(strstr(r.out, "a.sock bound"));
	ck_assert_ptr_nonnull(strstr(r.out, "a.txt 13"));
	const char *const line[] = { "\"operation\":\"bind\"", "\"address\":\"127.0.0.1:20250\"",
				     NULL };
	ck_assert_int_eq(log_lines_with(line), 1);
	run_free(&r);
}
END_TEST

/* A JVM under a files/exec/network policy: allowed actions work, refused
 * ones are clean Java exceptions, and the program keeps running. */
START_TEST(jvm_gets_clean_exceptions)
{
	ck_assert_int_eq(system("rm -rf /tmp/fhirguard-jvm && mkdir -p /tmp/fhirguard-jvm/data "
				"/tmp/fhirguard-jvm/other && echo in > /tmp/fhirguard-jvm/data/in"),
			 0);
	int allowed = listen_on(20342);
	int forbidden = listen_on(20442);
	char policy[1024], source[1024];
	source_path("tests/integration/policies/jvm.json", policy, sizeof(policy));
	source_path("tests/java/PolicyProbe.java", source, sizeof(source));
	char *argv[] = { (char *)fhirguard_path(),
			 "--policy",
			 policy,
			 "--log",
			 log_path,
			 "--",
			 "java",
			 source,
			 "read:/tmp/fhirguard-jvm/data/in",
			 "list:/tmp/fhirguard-jvm/data",
			 "write:/tmp/fhirguard-jvm/data/out",
			 "connect:127.0.0.1:20342",
			 "read:/etc/shadow",
			 "write:/tmp/fhirguard-jvm/other/out",
			 "connect:127.0.0.1:20442",
			 "exec:/bin/sh",
			 NULL };
	struct run r;
	run_sync(&r, argv, 300);
	close(allowed);
	close(forbidden);
	ck_assert_msg(r.exit_code == 0, "exit %d err %s", r.exit_code, r.err);
	static const char *const expected[] = {
		"read:/tmp/fhirguard-jvm/data/in ok\n",
		"list:/tmp/fhirguard-jvm/data ok\n",
		"write:/tmp/fhirguard-jvm/data/out ok\n",
		"connect:127.0.0.1:20342 ok\n",
		"read:/etc/shadow AccessDeniedException: /etc/shadow\n",
		"write:/tmp/fhirguard-jvm/other/out AccessDeniedException: "
		"/tmp/fhirguard-jvm/other/out\n",
		"connect:127.0.0.1:20442 BindException: Permission denied",
		"exec:/bin/sh IOException: Cannot run program \"/bin/sh\": error=13, Permission "
		"denied\n",
		"still running\n",
	};
	for (size_t i = 0; i < sizeof(expected) / sizeof(expected[0]); i++)
		ck_assert_msg(strstr(r.out, expected[i]) != NULL, "missing \"%s\" in:\n%s",
			      expected[i], r.out);
	const char *const shadow[] = { "\"rule\":\"secrets\"", "\"path\":\"/etc/shadow\"", NULL };
	ck_assert_int_eq(log_lines_with(shadow), 1);
	const char *const port[] = { "\"address\":\"[::ffff:127.0.0.1]:20442\"", NULL };
	ck_assert_int_eq(log_lines_with(port), 1);
	const char *const exec[] = { "\"kind\":\"exec\"", "\"path\":\"/usr/bin/dash\"", NULL };
	ck_assert_int_eq(log_lines_with(exec), 1);
	run_free(&r);
	ck_assert_int_eq(system("rm -rf /tmp/fhirguard-jvm"), 0);
}
END_TEST

static Suite *sections_suite(void)
{
	Suite *s = suite_create("sections");
	TCase *tc = tcase_create("enforced");
	tcase_set_timeout(tc, 400);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, file_read_allowed);
	tcase_add_test(tc, file_read_denied_by_rule);
	tcase_add_test(tc, file_write_allowed_and_denied);
	tcase_add_test(tc, symlink_and_dotdot_tricks);
	tcase_add_test(tc, file_kill_rule);
	tcase_add_test(tc, file_stop_rule_stops_the_container);
	tcase_add_test(tc, netlink_socket_refused);
	tcase_add_test(tc, exec_allowed_and_denied);
	tcase_add_test(tc, exec_argument_patterns_see_long_arguments);
	tcase_add_test(tc, network_connect_allowed_and_denied);
	tcase_add_test(tc, network_connect_semantics_kept_by_the_supervisor);
	tcase_add_test(tc, unix_socket_paths_are_resolved);
	tcase_add_test(tc, sendmmsg_with_addresses_is_refused);
	tcase_add_test(tc, mkdir_of_an_existing_name_is_eexist);
	tcase_add_test(tc, empty_path_acts_on_the_descriptor);
	tcase_add_test(tc, privileged_bind_is_not_lent);
	tcase_add_test(tc, blocking_connect_when_poll_is_traced);
	tcase_add_test(tc, supervisor_priority_and_stop_counts);
	tcase_add_test(tc, network_bind_and_unix);
	tcase_add_test(tc, jvm_gets_clean_exceptions);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(sections_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}

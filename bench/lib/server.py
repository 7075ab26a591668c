"""The FHIR fixture as a server process in one of the modes."""

import os
import signal
import subprocess
import time
import urllib.request

from runner import BenchError


def _children(pid):
    try:
        with open("/proc/%d/task/%d/children" % (pid, pid), encoding="ascii") as f:
            return [int(x) for x in f.read().split()]
    except OSError:
        return []


def _comm(pid):
    try:
        with open("/proc/%d/comm" % pid, encoding="ascii") as f:
            return f.read().strip()
    except OSError:
        return ""


def cpu_seconds(pid):
    """utime + stime of a process (all its threads), in seconds."""
    with open("/proc/%d/stat" % pid, encoding="ascii") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks


class Server:
    """Starts `java -jar fhir-server.jar` natively, under fhirguard or under
    strace, in the data directory (as scripts/run-fhir-server.sh does)."""

    def __init__(self, cfg, runner, mode, log_name, port=None, data_dir=None, fsync=False):
        """port and data_dir default to the ones the fhir policy allows."""
        self.cfg, self.runner, self.mode = cfg, runner, mode
        self.log_name = log_name
        self.port = port or cfg.fhir_port
        self.data_dir = data_dir or cfg.data_dir
        self.fsync = fsync
        self.proc = None
        self.started = 0.0

    @property
    def base(self):
        return "http://127.0.0.1:%d/fhir" % self.port

    def command(self):
        cmd = ["java", "-jar", self.cfg.jar, "--host", "127.0.0.1", "--port",
               str(self.port), "--data-dir", self.data_dir]
        if not self.fsync:
            cmd.append("--no-fsync")
        pin = ["taskset", "-c", self.cfg.server_cpus] if self.cfg.server_cpus else []
        return pin + self.runner.prefix(self.mode, self.log_name) + cmd

    def start(self):
        self._check_port_free()
        os.makedirs(self.data_dir, exist_ok=True)
        out = open(os.path.join(self.cfg.log_dir, self.log_name + ".server.log"), "ab")
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(self.command(), cwd=self.data_dir, stdout=out,
                                     stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        out.close()

    def _check_port_free(self):
        try:
            urllib.request.urlopen(self.base + "/metadata", timeout=0.5)
        except OSError:
            return
        raise BenchError("something already answers on port %d" % self.port)

    def wait_ready(self, timeout=180):
        """Polls /fhir/metadata every 10 ms; returns seconds since start."""
        deadline = self.started + timeout
        while time.perf_counter() < deadline:
            if self.proc.poll() is not None:
                raise BenchError("the FHIR server exited with %d during start (see %s)" %
                                 (self.proc.returncode, self.log_name + ".server.log"))
            try:
                with urllib.request.urlopen(self.base + "/metadata", timeout=2) as r:
                    if r.status == 200:
                        return time.perf_counter() - self.started
            except OSError:
                pass
            time.sleep(0.01)
        raise BenchError("the FHIR server was not ready within %d s" % timeout)

    def java_pid(self):
        """The JVM: the process itself natively, else the supervisor's
        descendant named java."""
        if self.mode.kind == "native":
            return self.proc.pid
        todo = [self.proc.pid]
        while todo:
            pid = todo.pop()
            if pid != self.proc.pid and _comm(pid) == "java":
                return pid
            todo.extend(_children(pid))
        raise BenchError("no java process under %d" % self.proc.pid)

    def supervisor_pid(self):
        return None if self.mode.kind == "native" else self.proc.pid

    def stop(self):
        """SIGTERM to the JVM itself (strace would only detach on SIGTERM),
        then wait for the whole command; SIGKILL after 30 s."""
        if self.proc is None or self.proc.poll() is not None:
            return
        try:
            os.kill(self.java_pid(), signal.SIGTERM)
        except (BenchError, ProcessLookupError):
            self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()

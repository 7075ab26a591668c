"""Where things are, and how much of each benchmark a run does."""

import os
from dataclasses import dataclass, field

WORK = "/tmp/fhirguard-bench"


@dataclass
class Sizes:
    """Iterations and repetitions: the full run, or the smoke run's
    minimum that still exercises every path."""
    runs: int = 7                  # rounds of each micro row
    getppid: int = 2_000_000
    mmap: int = 50_000
    traced_getppid: int = 20_000
    openat: int = 10_000
    denied: int = 2_000_000
    walks: int = 5
    connects: int = 2_000
    scale_runs: int = 3
    scale_threads: tuple = (1, 100, 1000)
    scale_procs: tuple = (1, 10, 100)
    scale_opens: int = 100         # opens per thread or process
    memory_threads: tuple = (1, 100, 1000)
    memory_runs: int = 3
    java_version_runs: int = 5
    ready_runs: int = 5
    patients: int = 1000
    observations: int = 10_000
    warmup_s: int = 15             # at least; then until two 5 s chunks agree within 10%
    warmup_chunk_s: int = 5
    warmup_max_s: int = 60
    wrk_s: int = 8
    wrk_runs: int = 6              # rounds: each runs every mode at every connection count
    wrk_connections: tuple = (8, 32)
    count_s: int = 10              # the extra run that counts stops with perf


SMOKE = Sizes(runs=1, getppid=20_000, mmap=5_000, traced_getppid=300, openat=200, denied=20_000,
              walks=1, connects=50, scale_runs=1, scale_threads=(1, 20),
              scale_procs=(1, 3), scale_opens=10, memory_threads=(1, 20), memory_runs=1,
              java_version_runs=1, ready_runs=1, patients=20, observations=100,
              warmup_s=1, warmup_chunk_s=1, warmup_max_s=1, wrk_s=2, wrk_runs=1, wrk_connections=(8,), count_s=1)


@dataclass
class Config:
    repo: str
    smoke: bool = False
    fhirguard: str = ""
    sizes: Sizes = field(default_factory=Sizes)
    work: str = WORK
    fhir_port: int = 18080
    # CPU lists for taskset (experiments; empty: no pinning): the FHIR
    # servers with their supervisor, and wrk.
    server_cpus: str = ""
    client_cpus: str = ""
    micro_port: int = 18081

    def __post_init__(self):
        if self.smoke:
            self.sizes = SMOKE
        if not self.fhirguard:
            self.fhirguard = os.path.join(self.repo, "build-bench", "shim", "fhirguard")

    @property
    def bench_dir(self):
        return os.path.join(self.repo, "bench")

    @property
    def bin_dir(self):
        return os.path.join(self.work, "bin")

    @property
    def tree_dir(self):
        return os.path.join(self.work, "tree")

    @property
    def data_dir(self):
        return os.path.join(self.work, "fhir-data")

    @property
    def template_dir(self):
        """The preloaded data, kept between runs (one per size)."""
        return os.path.join(self.work, "fhir-template-%d-%d" % (self.sizes.patients,
                                                                 self.sizes.observations))

    @property
    def log_dir(self):
        return os.path.join(self.work, "logs")

    @property
    def jar(self):
        return os.path.join(self.repo, "tests", "fhir-server", "target", "fhir-server.jar")

    @property
    def shipped_policy(self):
        return os.path.join(self.repo, "policy", "hapi-fhir.json")

    @property
    def open_target(self):
        """The file the open benchmarks open: a shared library, allowed by
        the shipped policy's system-libraries rule."""
        return "/usr/lib/x86_64-linux-gnu/libc.so.6"

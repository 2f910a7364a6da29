"""Thread scaling of client-side decryption with one shared Decryptor.

    python python/bench/threads.py [--bits 2048] [--seconds 3] [--threads 2]

Prints the throughput (values per second) with 1 thread and with N threads, and their ratio.
The GIL is released around the RSA work, so on a machine with N free cores the ratio approaches
N. This is a measurement, not a test: a busy machine gives lower numbers.
"""

from __future__ import annotations

import argparse
import os
import threading
import time

import port_secret


def run(
    decryptor: port_secret.Decryptor, values: list[str], threads: int, seconds: float
) -> tuple[float, float]:
    """(values decrypted per second, CPU cores busy) with `threads` threads for ~`seconds`."""
    counts = [0] * threads
    start_barrier = threading.Barrier(threads + 1)
    stop = threading.Event()

    def worker(i: int) -> None:
        start_barrier.wait()
        n = 0
        while not stop.is_set():
            for v in values:
                decryptor.decrypt(v, "client-side")
            n += len(values)
        counts[i] = n

    pool = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    for t in pool:
        t.start()
    start_barrier.wait()
    began, cpu_began = time.perf_counter(), time.process_time()
    time.sleep(seconds)
    stop.set()
    for t in pool:
        t.join()
    elapsed = time.perf_counter() - began
    cpu = time.process_time() - cpu_began
    return sum(counts) / elapsed, cpu / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bits", type=int, default=2048)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    private, public = port_secret.generate_key_pair(args.bits)
    decryptor = port_secret.Decryptor(private_key=private)
    values = [port_secret.encrypt_client_side(f"secret value {i}", public) for i in range(20)]
    for v in values[:3]:
        decryptor.decrypt(v, "client-side")  # warm up

    print(f"port_secret {port_secret.__version__} ({port_secret.RSA_BACKEND}), RSA-{args.bits}, "
          f"{os.cpu_count()} CPUs, best of {args.rounds} rounds of {args.seconds}s")
    one, one_cpu = max(run(decryptor, values, 1, args.seconds) for _ in range(args.rounds))
    many, many_cpu = max(run(decryptor, values, args.threads, args.seconds) for _ in range(args.rounds))
    try:
        load = " (load average %.2f)" % os.getloadavg()[0]
    except OSError:
        load = ""
    print(f"1 thread:  {one:8.0f} client-side values/s, {one_cpu:.2f} cores busy")
    print(f"{args.threads} threads: {many:8.0f} client-side values/s, {many_cpu:.2f} cores busy")
    print(f"ratio: {many / one:.2f}x{load}")


if __name__ == "__main__":
    main()

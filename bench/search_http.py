"""Benchmark: search over HTTP (the public catalogue) and SRU searchRetrieve, on a real server.

    python bench/search.py --keep /tmp/bench-search          # builds the 250,000-record library once
    python bench/search_http.py --library /tmp/bench-search  # this script
    python bench/search_http.py --library /tmp/bench-search --zebra   # also Debian's Zebra, same records

Starts ``pustaka serve`` (gunicorn, 2 workers × 4 threads) on the library built by ``bench/search.py``,
then measures:

- HTTP latency (p50/p95) of the public search page ``/search/?q=...`` with facets, for the one-word,
  two-word and phrase queries of ``bench/search.py``, one client, keep-alive connection; and the size of
  the HTML of a 20-hit result page;
- SRU ``searchRetrieve`` returning 10 MARCXML records: requests per second with several concurrent
  clients (and their p50/p95).

With ``--zebra`` it indexes the same MARC file with Debian's ``idzebra-2.0`` (installed with apt when
missing and running as root), serves it with ``zebrasrv`` (SRU over HTTP) and runs the same SRU load, so
both figures are printed side by side. Results are appended to ``bench/results/search-http-<date>.txt``.
"""

import argparse
import datetime as dt
import http.client
import os
import platform
import shutil
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import import_marc  # noqa: E402
from search import ONE_WORD, PHRASES, TWO_WORDS, percentile  # noqa: E402

SRU_QUERIES = [*ONE_WORD, *[f'"{q}"' for q in TWO_WORDS[:8]], *[f"dc.title={w}" for w in ONE_WORD[:6]]]


def wait_for(host: str, port: int, path: str, timeout: float = 120) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            conn = http.client.HTTPConnection(host, port, timeout=5)
            conn.request("GET", path)
            if conn.getresponse().status < 500:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"server on port {port} did not answer {path}")


def timed_get(conn: http.client.HTTPConnection, path: str) -> tuple[float, bytes, int]:
    t0 = time.perf_counter()
    conn.request("GET", path, headers={"Accept-Language": "en"})
    response = conn.getresponse()
    body = response.read()
    return (time.perf_counter() - t0) * 1000, body, response.status


def http_latency(port: int, rounds: int) -> tuple[dict, int]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    figures = {}
    page_size = 0
    for label, queries in (("one word", ONE_WORD), ("two words", TWO_WORDS), ("phrase", PHRASES)):
        for q in queries:
            timed_get(conn, "/search/?" + urllib.parse.urlencode({"q": q}))
        times = []
        for _ in range(rounds):
            for q in queries:
                ms, body, status = timed_get(conn, "/search/?" + urllib.parse.urlencode({"q": q}))
                if status != 200:
                    raise SystemExit(f"/search/?q={q} answered {status}")
                page_size = max(page_size, len(body))
                times.append(ms)
        figures[label] = times
    return figures, page_size


def sru_load(port: int, path_prefix: str, clients: int, seconds: float, extra: dict) -> dict:
    """``clients`` threads send searchRetrieve requests for ``seconds``; requests/s and latencies."""
    stop = time.time() + seconds
    times: list[float] = []
    errors = [0]
    lock = threading.Lock()

    def client(n: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        i = n
        mine = []
        while time.time() < stop:
            q = SRU_QUERIES[i % len(SRU_QUERIES)]
            i += 1
            params = {
                "version": "1.2",
                "operation": "searchRetrieve",
                "query": q,
                "maximumRecords": "10",
                "recordSchema": "marcxml",
                **extra,
            }
            try:
                ms, body, status = timed_get(conn, path_prefix + "?" + urllib.parse.urlencode(params))
                ok = status == 200 and b"numberOfRecords" in body
            except (OSError, http.client.HTTPException):
                ok = False
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            if ok:
                mine.append(ms)
            else:
                with lock:
                    errors[0] += 1
        with lock:
            times.extend(mine)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    return {
        "requests": len(times),
        "errors": errors[0],
        "rps": len(times) / elapsed,
        "p50": percentile(times, 0.5) if times else 0.0,
        "p95": percentile(times, 0.95) if times else 0.0,
    }


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def start_pustaka(home: Path, port: int) -> subprocess.Popen:
    env = {**os.environ, "PUSTAKA_HOME": str(home)}
    env.pop("DATABASE_URL", None)
    exe = Path(sys.executable).with_name("pustaka")
    subprocess.run([str(exe), "init"], env=env, check=True, stdout=subprocess.DEVNULL)  # migrations since the build
    return subprocess.Popen(
        [str(exe), "serve", "--port", str(port), "--workers", "2", "--threads", "4"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


# --- Zebra -----------------------------------------------------------------------------------------

ZEBRA_CFG = """profilePath: .:/usr/share/idzebra-2.0/tab
modulePath: /usr/lib/x86_64-linux-gnu/idzebra-2.0/modules
attset: bib1.att
attset: explain.att
recordType: grs.marc.usmarc
encoding: utf-8
register: {register}:4G

lockDir: {lock}
keyTmpDir: {tmp}
memMax: 256M
"""

YAZ_SERVER = """<yazgfs>
  <listen id="public">tcp:@:{port}</listen>
  <server id="server1" listenref="public">
    <directory>{dir}</directory>
    <config>zebra.cfg</config>
    <cql2rpn>cql2pqf.txt</cql2rpn>
    <retrievalinfo>
      <retrieval syntax="xml" name="marcxml" identifier="info:srw/schema/1/marcxml-v1.1">
        <backend syntax="usmarc" name="F">
          <marc inputformat="marc" outputformat="marcxml" inputcharset="utf-8"/>
        </backend>
      </retrieval>
      <retrieval syntax="usmarc" name="F"/>
    </retrievalinfo>
  </server>
</yazgfs>
"""

# CQL to Zebra's query language: the mapping YAZ ships (Debian package yaz, a dependency of idzebra-2.0).
CQL2PQF = Path("/usr/share/yaz/etc/pqf.properties")


def ensure_zebra() -> bool:
    if shutil.which("zebraidx") and shutil.which("zebrasrv"):
        return True
    if os.geteuid() == 0 and shutil.which("apt-get"):
        subprocess.run(["apt-get", "update", "-qq"], check=False)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "idzebra-2.0"],
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
            check=False,
            stdout=subprocess.DEVNULL,
        )
    return bool(shutil.which("zebraidx") and shutil.which("zebrasrv"))


def start_zebra(work: Path, source: Path, port: int) -> tuple[subprocess.Popen, float]:
    """Index ``source`` (ISO 2709, UTF-8) with zebraidx and serve it with zebrasrv; returns (server, index s)."""
    zdir = work / "zebra"
    if zdir.exists():
        shutil.rmtree(zdir)
    for sub in ("register", "shadow", "lock", "tmp"):
        (zdir / sub).mkdir(parents=True)
    (zdir / "zebra.cfg").write_text(
        ZEBRA_CFG.format(register=zdir / "register", shadow=zdir / "shadow", lock=zdir / "lock", tmp=zdir / "tmp")
    )
    shutil.copy(CQL2PQF, zdir / "cql2pqf.txt")
    (zdir / "yazserver.xml").write_text(YAZ_SERVER.format(port=port, dir=zdir))
    # usmarc.abs and friends come from Zebra's own tab directory.
    started = time.perf_counter()
    subprocess.run(["zebraidx", "-c", "zebra.cfg", "init"], cwd=zdir, check=True, capture_output=True)
    subprocess.run(
        ["zebraidx", "-c", "zebra.cfg", "-t", "grs.marc.usmarc", "update", str(source)],
        cwd=zdir,
        check=True,
        capture_output=True,
    )
    subprocess.run(["zebraidx", "-c", "zebra.cfg", "commit"], cwd=zdir, check=False, capture_output=True)
    index_seconds = time.perf_counter() - started
    server = subprocess.Popen(
        ["zebrasrv", "-f", "yazserver.xml"], cwd=zdir, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    return server, index_seconds


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--library", required=True, help="the DIR given to bench/search.py --keep")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--clients", type=int, default=4, help="concurrent SRU clients (default 4)")
    parser.add_argument("--seconds", type=float, default=20.0, help="length of each SRU load run")
    parser.add_argument("--zebra", action="store_true", help="also index and serve the records with Zebra")
    parser.add_argument("--marc", help="the MARC file the library was built from (default: the 250,000 records)")
    args = parser.parse_args(argv)

    library = Path(args.library).resolve()
    home = library / "home"
    if not (home / "pustaka.sqlite3").exists():
        raise SystemExit(f"no library in {home}: run bench/search.py --keep {library} first")

    server = start_pustaka(home, args.port)
    try:
        wait_for("127.0.0.1", args.port, "/health")
        http_figures, page_size = http_latency(args.port, args.rounds)
        sru = sru_load(args.port, "/sru", args.clients, args.seconds, {})
    finally:
        stop(server)

    zebra = None
    zebra_note = ""
    if args.zebra:
        if ensure_zebra():
            zport = args.port + 1
            zserver, zindex = start_zebra(library, Path(args.marc) if args.marc else import_marc.fetch(), zport)
            try:
                wait_for("127.0.0.1", zport, "/?version=1.2&operation=explain")
                zebra = sru_load(zport, "/", args.clients, args.seconds, {"recordSchema": "marcxml"})
                zebra["index_seconds"] = zindex
            finally:
                stop(zserver)
        else:
            zebra_note = "Zebra (idzebra-2.0) could not be installed here; no comparison."

    lines = [
        f"Pustaka search over HTTP and SRU, {dt.datetime.now().isoformat(timespec='seconds')}",
        f"machine: {platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} cores,"
        f" load average {os.getloadavg()[0]:.2f}; server: pustaka serve (gunicorn 2 workers x 4 threads), sqlite",
        f"library: {library} ({import_marc.SOURCE.name})",
        f"HTTP /search/?q= (20 hits with facets, one client, keep-alive), {args.rounds} rounds per query:",
    ]
    for label, times in http_figures.items():
        lines.append(
            f"  {label:10s} n={len(times):4d}  p50 {percentile(times, 0.5):6.2f} ms"
            f"  p95 {percentile(times, 0.95):6.2f} ms  mean {statistics.mean(times):6.2f} ms"
        )
    lines.append(f"  largest result page: {page_size / 1024:.1f} KB of HTML (limit 100 KB)")
    lines.append(
        "target: HTTP p95 <= 30 ms: "
        + ("met" if all(percentile(t, 0.95) <= 30 for t in http_figures.values()) else "NOT met")
    )
    lines.append(
        f"SRU searchRetrieve, 10 MARCXML records, {args.clients} clients, {args.seconds:.0f} s:"
        f" {sru['rps']:.1f} requests/s (p50 {sru['p50']:.1f} ms, p95 {sru['p95']:.1f} ms,"
        f" {sru['requests']} requests, {sru['errors']} errors)"
    )
    if zebra:
        lines.append(
            f"Zebra 2 (zebrasrv, same records, same queries): {zebra['rps']:.1f} requests/s"
            f" (p50 {zebra['p50']:.1f} ms, p95 {zebra['p95']:.1f} ms, {zebra['requests']} requests,"
            f" {zebra['errors']} errors); zebraidx took {zebra['index_seconds']:.0f} s"
        )
        ratio = sru["rps"] / zebra["rps"] if zebra["rps"] else float("inf")
        lines.append(f"ratio Pustaka/Zebra: {ratio:.1f}x (target >= 5x): {'met' if ratio >= 5 else 'NOT met'}")
    elif zebra_note:
        lines.append(zebra_note)
    text = "\n".join(lines) + "\n"
    print(text, end="")
    import_marc.RESULTS.mkdir(parents=True, exist_ok=True)
    with open(import_marc.RESULTS / f"search-http-{dt.date.today().isoformat()}.txt", "a", encoding="utf-8") as out:
        out.write(text + "\n")


if __name__ == "__main__":
    main()

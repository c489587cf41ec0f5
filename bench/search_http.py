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
  clients (and their p50/p95);
- an OAI-PMH harvest: ``ListRecords`` in ``marc21`` (100 records a page) followed through its resumption
  tokens by one harvester, records per second, twice: the first harvest builds the record cache
  (``pustaka.recordcache``), the second reads it (``--oai-records``: how many records, 0 for all);
- OPDS: the "new titles" feed (25 entries a page, pages cycled) with several concurrent clients, requests
  per second, over ``--opds-resources`` digital resources given to the library's first records (made once,
  with plain inserts, the first time the benchmark runs on a library).

With ``--zebra`` it indexes the same MARC file with Debian's ``idzebra-2.0`` (installed with apt when
missing and running as root; a finished index of the same file is reused), serves it with ``zebrasrv``
(SRU over HTTP) and runs the same SRU load against both servers, up at the same time, in turns of
``--seconds``/``--slices`` each, so a busy moment of a shared machine falls on both alike; both figures
are printed side by side. Results are appended to ``bench/results/search-http-<date>.txt``.
"""

import argparse
import datetime as dt
import http.client
import os
import platform
import re
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


def _combined(runs: list[dict]) -> dict:
    """Several load slices as one: requests over the summed time; p50/p95 over every request."""
    times = [t for run in runs for t in run["times"]]
    elapsed = sum(run["elapsed"] for run in runs)
    return {
        "requests": len(times),
        "errors": sum(run["errors"] for run in runs),
        "rps": len(times) / elapsed,
        "p50": percentile(times, 0.5) if times else 0.0,
        "p95": percentile(times, 0.95) if times else 0.0,
        "times": times,
        "elapsed": elapsed,
    }


def sru_load(port: int, path_prefix: str, clients: int, seconds: float, extra: dict) -> dict:
    """``clients`` threads send searchRetrieve requests for ``seconds``; requests/s and latencies."""
    paths = [
        path_prefix
        + "?"
        + urllib.parse.urlencode(
            {
                "version": "1.2",
                "operation": "searchRetrieve",
                "query": q,
                "maximumRecords": "10",
                "recordSchema": "marcxml",
                **extra,
            }
        )
        for q in SRU_QUERIES
    ]
    return http_load(port, paths, clients, seconds, b"numberOfRecords")


def oai_harvest(port: int, limit: int) -> dict:
    """One harvester: ListRecords marc21 from the start, page after page, until ``limit`` records (0: all)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    path = "/oai?verb=ListRecords&metadataPrefix=marc21"
    records = pages = 0
    started = time.perf_counter()
    while True:
        ms, body, status = timed_get(conn, path)
        if status != 200:
            raise SystemExit(f"{path} answered {status}")
        records += body.count(b"<header")
        pages += 1
        token = re.search(rb"<resumptionToken[^>]*>([^<]+)</resumptionToken>", body)
        if not token or (limit and records >= limit):
            break
        path = "/oai?" + urllib.parse.urlencode({"verb": "ListRecords", "resumptionToken": token.group(1).decode()})
    elapsed = time.perf_counter() - started
    return {"records": records, "pages": pages, "seconds": elapsed, "rate": records / elapsed}


def http_load(port: int, paths: list[str], clients: int, seconds: float, marker: bytes) -> dict:
    """``clients`` threads GET ``paths`` in turn for ``seconds``; requests/s and latencies."""
    stop_at = time.time() + seconds
    times: list[float] = []
    errors = [0]
    lock = threading.Lock()

    def client(n: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        i, mine = n, []
        while time.time() < stop_at:
            path = paths[i % len(paths)]
            i += 1
            try:
                ms, body, status = timed_get(conn, path)
                ok = status == 200 and marker in body
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
        "times": times,
        "elapsed": elapsed,
    }


def ensure_opds_resources(home: Path, count: int) -> int:
    """Give the first ``count`` records of the library a digital resource each (once): half open access,
    half under a restricted licence, each with a content file and every other one a cover, like
    ``bench/opds.py``. Empties the record cache, so the first harvest builds it. Returns how many
    resources the library has."""
    code = f"""
import hashlib, django
django.setup()
from pustaka.catalog.models import Record
from pustaka.digital.models import DigitalResource, Licence, ResourceFile, StoredFile
have = DigitalResource.objects.count()
if not have:
    open_access = Licence.objects.create(name="Bench open", is_open_access=True)
    restricted = Licence.objects.create(name="Bench restricted", concurrent_users=3)
    ids = list(Record.objects.order_by("id").values_list("id", flat=True)[:{count}])
    resources = DigitalResource.objects.bulk_create(
        [DigitalResource(record_id=pk, kind="ebook", licence=open_access if i % 2 else restricted)
         for i, pk in enumerate(ids)], batch_size=2000)
    files = StoredFile.objects.bulk_create(
        [StoredFile(sha256=hashlib.sha256(f"bench-content{{i}}".encode()).hexdigest(), size=100_000 + i,
                    mime_type="application/epub+zip" if i % 3 == 0 else "application/pdf",
                    original_name=f"buku-{{i}}.pdf") for i in range(len(ids))], batch_size=2000)
    covers = StoredFile.objects.bulk_create(
        [StoredFile(sha256=hashlib.sha256(f"bench-cover{{i}}".encode()).hexdigest(), size=5000,
                    mime_type="image/jpeg", original_name=f"cover-{{i}}.jpg") for i in range(0, len(ids), 2)],
        batch_size=2000)
    links = [ResourceFile(resource=r, file=f, role="content") for r, f in zip(resources, files)]
    links += [ResourceFile(resource=resources[2 * k], file=c, role="cover") for k, c in enumerate(covers)]
    ResourceFile.objects.bulk_create(links, batch_size=2000)
    have = len(resources)
from pustaka.recordcache.models import CachedForm
CachedForm.objects.all().delete()  # every run starts with an empty record cache
print(have)
"""
    env = {**os.environ, "PUSTAKA_HOME": str(home), "DJANGO_SETTINGS_MODULE": "pustaka.settings"}
    env.pop("DATABASE_URL", None)
    done = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, check=True, capture_output=True, text=True)
    return int(done.stdout.strip().splitlines()[-1])


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
    """Index ``source`` (ISO 2709, UTF-8) with zebraidx and serve it with zebrasrv; returns (server, index s).
    A finished index of the same file in ``work`` is served again without indexing (its time as measured)."""
    zdir = work / "zebra"
    done = zdir / "indexed-from.txt"  # the source and seconds of a finished index: reused by later runs
    stamp = f"{source} {source.stat().st_size}"
    if done.exists() and done.read_text().split("\n")[0] == stamp:
        (zdir / "yazserver.xml").write_text(YAZ_SERVER.format(port=port, dir=zdir))
        server = subprocess.Popen(
            ["zebrasrv", "-f", "yazserver.xml"], cwd=zdir, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        return server, float(done.read_text().split("\n")[1])
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
    done.write_text(f"{stamp}\n{index_seconds}\n")
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
    parser.add_argument("--slices", type=int, default=4, help="turns of the side-by-side SRU load (with --zebra)")
    parser.add_argument("--oai-records", type=int, default=50_000, help="records per OAI-PMH harvest (0: all)")
    parser.add_argument("--opds-resources", type=int, default=10_000, help="digital resources for the OPDS load")
    args = parser.parse_args(argv)

    library = Path(args.library).resolve()
    home = library / "home"
    if not (home / "pustaka.sqlite3").exists():
        raise SystemExit(f"no library in {home}: run bench/search.py --keep {library} first")

    resources = ensure_opds_resources(home, args.opds_resources)
    zebra = zserver = None
    zebra_note = ""
    zport = args.port + 1
    if args.zebra:
        if ensure_zebra():
            zserver, zindex = start_zebra(library, Path(args.marc) if args.marc else import_marc.fetch(), zport)
        else:
            zebra_note = "Zebra (idzebra-2.0) could not be installed here; no comparison."
    server = start_pustaka(home, args.port)
    try:
        wait_for("127.0.0.1", args.port, "/health")
        http_figures, page_size = http_latency(args.port, args.rounds)
        if zserver is not None:
            # Both servers up; their SRU loads take turns in short slices, so a busy moment of the
            # (shared) machine falls on both alike.
            wait_for("127.0.0.1", zport, "/?version=1.2&operation=explain")
            sru_load(args.port, "/sru", args.clients, 2, {})  # warm-up of both
            sru_load(zport, "/", args.clients, 2, {})
            slices = max(1, args.slices)
            ours, theirs = [], []
            for _ in range(slices):
                ours.append(sru_load(args.port, "/sru", args.clients, args.seconds / slices, {}))
                theirs.append(sru_load(zport, "/", args.clients, args.seconds / slices, {}))
            sru, zebra = _combined(ours), _combined(theirs)
            zebra["index_seconds"] = zindex
        else:
            sru = sru_load(args.port, "/sru", args.clients, args.seconds, {})
        harvests = [oai_harvest(args.port, args.oai_records) for _ in range(2)]
        pages = max(1, (resources + 24) // 25)
        opds_paths = ["/opds/new"] + [f"/opds/new?page={n}" for n in range(2, min(pages, 200) + 1)]
        opds = http_load(args.port, opds_paths, args.clients, args.seconds, b"<entry>")
    finally:
        stop(server)
        if zserver is not None:
            stop(zserver)

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
    for label, harvest in zip(("first (builds the record cache)", "second (from the cache)"), harvests, strict=True):
        lines.append(
            f"OAI-PMH ListRecords marc21, one harvester, {label}: {harvest['rate']:.0f} records/s"
            f" ({harvest['records']} records, {harvest['pages']} pages, {harvest['seconds']:.1f} s)"
        )
    lines.append(
        f"OPDS /opds/new (25 entries a page, {resources} resources), {args.clients} clients, {args.seconds:.0f} s:"
        f" {opds['rps']:.1f} requests/s (p50 {opds['p50']:.1f} ms, p95 {opds['p95']:.1f} ms,"
        f" {opds['requests']} requests, {opds['errors']} errors)"
    )
    if zebra:
        lines.append(
            f"Zebra 2 (zebrasrv, same records, same queries, in turns with Pustaka in {args.slices} slices):"
            f" {zebra['rps']:.1f} requests/s"
            f" (p50 {zebra['p50']:.1f} ms, p95 {zebra['p95']:.1f} ms, {zebra['requests']} requests,"
            f" {zebra['errors']} errors); zebraidx took {zebra['index_seconds']:.0f} s"
        )
        ratio = sru["rps"] / zebra["rps"] if zebra["rps"] else float("inf")
        lines.append(
            f"ratio Pustaka/Zebra: {ratio:.2f}x (target >= 1x, issue 14): {'met' if ratio >= 1 else 'NOT met'}"
        )
    elif zebra_note:
        lines.append(zebra_note)
    text = "\n".join(lines) + "\n"
    print(text, end="")
    import_marc.RESULTS.mkdir(parents=True, exist_ok=True)
    with open(import_marc.RESULTS / f"search-http-{dt.date.today().isoformat()}.txt", "a", encoding="utf-8") as out:
        out.write(text + "\n")


if __name__ == "__main__":
    main()

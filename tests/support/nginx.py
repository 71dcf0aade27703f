"""A real nginx (Debian package) in front of dashboard processes, started by the tests with the
project's own config, deploy/nginx-binnenstadmonitor.conf, its ports replaced."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from tests.support.pgserver import free_port

ROOT = Path(__file__).resolve().parents[2]
SITE_CONF = ROOT / "deploy" / "nginx-binnenstadmonitor.conf"
# Each line: the client, which process (upstream address) served it, status and request.
LOG_FORMAT = "'$cookie_binnenstadmonitor_proces -> $upstream_addr $status \"$request\"'"


class NginxUnavailable(RuntimeError):
    pass


def nginx_binary() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").is_file() else None)
    if not found:
        raise NginxUnavailable("nginx not found; `make test` installs the Debian package")
    return found


def site_config(ports: dict[str, int], listen: int) -> str:
    """The deployed config with the test's ports: process a on ports['a'], b on ports['b']."""
    text = SITE_CONF.read_text(encoding="utf-8")
    for name, default in (("a", 8501), ("b", 8502)):
        text, n = re.subn(rf"(upstream binnenstadmonitor_{name} {{ server 127\.0\.0\.1:){default}", rf"\g<1>{ports[name]}", text)
        assert n == 1, f"upstream {name} not found in {SITE_CONF}"
    text, n = re.subn(r"listen 8080;", f"listen 127.0.0.1:{listen};", text)
    assert n == 1
    return text


@dataclass
class Nginx:
    proc: subprocess.Popen
    port: int
    prefix: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def access_log(self) -> list[str]:
        path = self.prefix / "access.log"
        return path.read_text(errors="replace").splitlines() if path.exists() else []

    def error_log(self) -> str:
        path = self.prefix / "error.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGQUIT)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)


def start_nginx(prefix: Path, ports: dict[str, int], timeout: float = 20) -> Nginx:
    """nginx in the foreground with its files under `prefix`; returns once it accepts connections."""
    binary = nginx_binary()
    prefix.mkdir(parents=True, exist_ok=True)
    port = free_port()
    (prefix / "site.conf").write_text(site_config(ports, port), encoding="utf-8")
    temp = {name: prefix / name for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi")}
    user = "user root;\n" if os.geteuid() == 0 else ""  # workers may then read the test's files
    (prefix / "nginx.conf").write_text(
        f"{user}worker_processes 1;\npid {prefix}/nginx.pid;\nerror_log {prefix}/error.log info;\n"
        "events { worker_connections 256; }\n"
        "http {\n"
        f"  log_format proces {LOG_FORMAT};\n"
        f"  access_log {prefix}/access.log proces;\n"
        f"  client_body_temp_path {temp['body']};\n  proxy_temp_path {temp['proxy']};\n"
        f"  fastcgi_temp_path {temp['fastcgi']};\n  uwsgi_temp_path {temp['uwsgi']};\n"
        f"  scgi_temp_path {temp['scgi']};\n"
        f"  include {prefix}/site.conf;\n"
        "}\n",
        encoding="utf-8",
    )
    check = subprocess.run([binary, "-t", "-p", str(prefix), "-c", str(prefix / "nginx.conf")],
                           capture_output=True, text=True)
    if check.returncode != 0:
        raise RuntimeError(f"nginx -t refused the config:\n{check.stderr}")
    proc = subprocess.Popen([binary, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-g", "daemon off;"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"nginx exited with {proc.returncode}:\n{(prefix / 'error.log').read_text(errors='replace')}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return Nginx(proc, port, prefix)
        except OSError:
            time.sleep(0.05)
    proc.kill()
    raise RuntimeError(f"nginx did not listen on {port} within {timeout} s")

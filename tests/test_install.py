"""The installed command finds the bundled data when installed from a wheel, not only from a checkout."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_install_finds_bundled_data(tmp_path):
    wheel_dir, target = tmp_path / "dist", tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(wheel_dir), str(ROOT)],
                   check=True, capture_output=True)
    (wheel,) = wheel_dir.glob("multipartner-*.whl")
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target),
                    str(wheel)], check=True, capture_output=True)
    assert (target / "graphs" / "bundled" / "states.csv").is_file()
    assert not (target / "graphs" / "bundled" / "staging").exists()
    for template in ("year.html.j2", "index.html.j2", "explore.html.j2", "whatif.html.j2", "style.css"):
        assert (target / "reports" / "templates" / template).is_file(), template
    env = {**os.environ, "PYTHONPATH": str(target)}
    code = ("import graphs, graphs.paths as p; print(graphs.__file__); print(p.bundled_data_dir())")
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True,
                         check=True).stdout.splitlines()
    assert out[0].startswith(str(target)) and out[1] == str(target / "graphs" / "bundled")
    run = subprocess.run([sys.executable, "-m", "graphs.cli", "members", "NATO", "--year", "2024", "--format", "csv"],
                         cwd=tmp_path, env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert len(run.stdout.splitlines()) == 1 + 32

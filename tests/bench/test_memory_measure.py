"""Figure 4 reads the app process's own peak: ``VmHWM``, not ``ru_maxrss``.

The bench spawns the app's process while holding data of its own (100,000 rows after the
scrolling figure). Linux keeps ``ru_maxrss`` across ``execve``, so a child's ``ru_maxrss`` starts at
the bench's RSS; ``VmHWM`` belongs to the address space ``exec`` made, so it is the child's alone.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bench.memory import _status_mb

BALLAST_MB = 192

CHILD = (
    "import json, resource\n"
    "from bench.memory import _status_mb\n"
    "print(json.dumps([_status_mb('VmHWM'), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024]))\n"
)


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="VmHWM is read from Linux's /proc")
def test_a_child_of_a_big_parent_reports_its_own_peak_in_vmhwm_only() -> None:
    ballast = bytearray(BALLAST_MB * 2**20)
    for page in range(0, len(ballast), 4096):
        ballast[page] = 1  # resident, not just reserved
    assert _status_mb("VmRSS") > BALLAST_MB
    done = subprocess.run(
        [sys.executable, "-c", CHILD], capture_output=True, text=True, check=True, cwd=Path(__file__).parents[2]
    )
    hwm, maxrss = json.loads(done.stdout)
    del ballast
    assert hwm < BALLAST_MB / 2, "VmHWM counts only what the child itself held"
    assert maxrss > BALLAST_MB, "ru_maxrss carries the parent's RSS across exec (why the figure does not use it)"

"""Terraform working directories of the bench, with the provider from a private mirror.

The bench installs the binary it measures into its own filesystem mirror and CLI config under
its work directory, so it never swaps the provider that tests running beside it installed in
the project's shared mirror.
"""

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from m3stack.testkit import PROJECT_ROOT, PROVIDER_ADDRESS, PROVIDER_VERSION, terraform_env

from m3bench.clock import timed
from m3bench.memory import ProviderPeak

TERRAFORM = PROJECT_ROOT / ".work" / "bin" / "terraform"


def install_provider(binary: Path, work: Path) -> Path:
    """Copies `binary` into `work`/tf-mirror and writes `work`/terraformrc using it; returns the
    CLI config file."""
    mirror = work / "tf-mirror"
    dest = mirror / PROVIDER_ADDRESS / PROVIDER_VERSION / "linux_amd64" / f"terraform-provider-metal3_v{PROVIDER_VERSION}"
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_suffix(".tmp")
    tmp.write_bytes(binary.read_bytes())
    tmp.chmod(0o755)
    tmp.replace(dest)
    rc = work / "terraformrc"
    rc.write_text(
        "provider_installation {\n"
        "  filesystem_mirror {\n"
        f'    path    = "{mirror}"\n'
        f'    include = ["{PROVIDER_ADDRESS}"]\n'
        "  }\n"
        "}\n"
        "disable_checkpoint = true\n")
    return rc


@dataclass
class Run:
    args: tuple
    seconds: float
    returncode: int
    peak_rss_kib: int | None
    log: Path


class TerraformError(RuntimeError):
    pass


def error_summary(output: str, limit: int = 3) -> str:
    """How many `Error:` blocks Terraform printed and the first few (the heading and the
    message under the source excerpt), or the last lines when there is none."""
    blocks, lines = [], output.splitlines()
    count = sum(line.startswith("Error: ") for line in lines)
    for i, line in enumerate(lines):
        if line.startswith("Error: ") and len(blocks) < limit:
            message = [line]
            for following in lines[i + 1:]:
                if following.startswith("Error: "):
                    break
                # Skip the configuration excerpt Terraform quotes (indented, or "  on ...").
                if following.strip() and not following.startswith(("  ", "\t", "│")):
                    message.append(following.strip())
            blocks.append(" ".join(message))
    if not blocks:
        return "\n".join(lines[-10:])
    return f"{count} error(s): " + " | ".join(blocks)


class TfDir:
    """One working directory, emptied first (a state left by an earlier run would describe nodes
    that no longer exist); every command's output goes to logs/<label>.log in it."""

    def __init__(self, path: Path, cli_config: Path):
        self.path = path
        shutil.rmtree(self.path, ignore_errors=True)
        self.path.mkdir(parents=True)
        (self.path / "logs").mkdir(exist_ok=True)
        self.env = terraform_env({"TF_CLI_CONFIG_FILE": str(cli_config)})

    def write(self, name: str, text: str) -> None:
        (self.path / name).write_text(text)

    def run(self, label: str, *args: str, ok=(0,), timeout: float = 3600) -> Run:
        log = self.path / "logs" / f"{label}.log"
        with log.open("wb") as out, timed() as watch:
            proc = subprocess.Popen([str(TERRAFORM), *args], cwd=self.path, env=self.env,
                                    stdout=out, stderr=subprocess.STDOUT)
            peak = ProviderPeak(proc.pid)
            try:
                code = proc.wait(timeout=timeout)
            finally:
                peak.stop()
        run = Run(args, watch.seconds, code, peak.peak_kib, log)
        if code not in ok:
            summary = error_summary(log.read_text(errors="replace"))
            raise TerraformError(f"terraform {args[0]} exited {code} (log {log}): {summary}")
        return run

    def init(self) -> Run:
        return self.run("init", "init", "-input=false", "-no-color")

    def apply(self, label: str, parallelism: int) -> Run:
        return self.run(label, "apply", "-input=false", "-auto-approve", "-no-color",
                        f"-parallelism={parallelism}")

    def destroy(self, label: str, parallelism: int) -> Run:
        return self.run(label, "destroy", "-input=false", "-auto-approve", "-no-color",
                        f"-parallelism={parallelism}")

    def noop_plan(self, label: str, parallelism: int) -> Run:
        """A plan that must find nothing to do (exit 0 with -detailed-exitcode)."""
        return self.run(label, "plan", "-input=false", "-detailed-exitcode", "-no-color",
                        f"-parallelism={parallelism}")

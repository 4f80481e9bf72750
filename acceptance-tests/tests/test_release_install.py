"""Installing a release as users do, with real Terraform: the files `make release` writes
(scripts/package_release.py) for every platform, served over HTTPS with a test CA (SSL_CERT_FILE).
linux_amd64 holds the binary under test; cross-builds belong to `make release`, so the other
platforms hold tiny real executables for their OS and CPU (release_fixtures/):

- from a provider registry: `source = "localhost:<port>/metal3-io/metal3"`; `init` verifies
  SHA256SUMS' signature and records the zip's hash in the lock file; then a fake host is planned,
  applied and destroyed, checked in Ironic;
- a signature that does not match the key the registry announces stops `init`;
- from a network mirror (`provider_installation { network_mirror }`) for the default address;
- `terraform providers lock` for every platform, from the registry and from the mirror, as a team
  whose operators plan from Macs and whose runners are Linux does.
"""

import gzip
import os
import re
import subprocess
import sys

import pytest

from hostkit import fake_host, hcl, node_name, random_mac, resource, unique_namespace
from m3stack.provider_registry import ProviderRegistry
from m3stack.testkit import PROJECT_ROOT, PROVIDER_VERSION, Terraform
from m3stack.tls_proxy import make_certificates

sys.path.insert(0, str(PROJECT_ROOT / "scripts"))
import package_release  # noqa: E402

FIXTURES = PROJECT_ROOT / "acceptance-tests" / "tests" / "release_fixtures"
# Every platform a release carries, and Terraform's name for it.
PLATFORMS = ("darwin_amd64", "darwin_arm64", "linux_amd64", "linux_arm64")
STAND_INS = {"darwin_amd64": "zig-macos-amd64.gz", "darwin_arm64": "zig-macos-arm64.gz",
             "linux_arm64": "zig-linux-arm64.gz"}


def gpg_secret_key(home) -> str:
    """A throwaway signing key, made as a release manager would, exported ASCII-armoured."""
    home.mkdir(mode=0o700)
    base = ["gpg", "--batch", "--homedir", str(home)]
    subprocess.run([*base, "--passphrase", "", "--quick-gen-key", "Release Test <release@test.invalid>",
                    "rsa2048", "sign", "1d"], check=True, capture_output=True)
    key = subprocess.run([*base, "--armor", "--export-secret-keys"], check=True, capture_output=True, text=True)
    subprocess.run(["gpgconf", "--homedir", str(home), "--kill", "gpg-agent"], capture_output=True)
    return key.stdout


@pytest.fixture(scope="module")
def release(tmp_path_factory, provider_bin):
    """dist/ for every platform (linux_amd64 the binary under test), signed with a key given
    through the environment."""
    base = tmp_path_factory.mktemp("release")
    key = gpg_secret_key(base / "gnupg")
    binaries = {"linux_amd64": provider_bin}
    for platform, fixture in STAND_INS.items():
        binaries[platform] = base / platform
        binaries[platform].write_bytes(gzip.decompress((FIXTURES / fixture).read_bytes()))
    os.environ["METAL3_RELEASE_GPG_KEY"] = key
    try:
        done = package_release.package(base / "dist", binaries)
    finally:
        del os.environ["METAL3_RELEASE_GPG_KEY"]
    assert not done["throwaway_key"], "the key from the environment signed"
    return done


@pytest.fixture(scope="module")
def tls(tmp_path_factory):
    return make_certificates(tmp_path_factory.mktemp("registry-tls"))


def serve(release, tls, **options) -> ProviderRegistry:
    dist = release["shasums"].parent
    return ProviderRegistry(dist, tls["server"].with_suffix(".pem"), tls["server"].with_suffix(".key"),
                            **options).start()


def terraform(workdir, tls, cli_config: str = "") -> Terraform:
    rc = workdir.parent / f"{workdir.name}.tfrc"
    rc.write_text(cli_config + "disable_checkpoint = true\n")
    return Terraform(workdir, env={"TF_CLI_CONFIG_FILE": str(rc),
                                   "SSL_CERT_FILE": str(tls["ca"].with_suffix(".pem"))})


def config(source: str, stack: dict, namespace: str, body: str = "") -> str:
    provider = {"ironic_url": stack["ironic_url"], "namespace": namespace,
                "deploy_kernel_url": stack["deploy_kernel_url"],
                "deploy_ramdisk_url": stack["deploy_ramdisk_url"]}
    return ("terraform {\n  required_providers {\n    metal3 = {\n"
            f'      source  = "{source}"\n      version = "{PROVIDER_VERSION}"\n    }}\n  }}\n}}\n\n'
            'provider "metal3" {\n' + "\n".join(f"  {k} = {hcl(v, 1)}" for k, v in provider.items())
            + "\n}\n\n" + body)


def h1(zip_path) -> str:
    """Terraform's `h1:` hash of a provider package: sha256 over the sorted lines
    "<sha256 of file>  <name>" of the files the zip holds (Go's dirhash Hash1)."""
    import base64
    import hashlib
    import zipfile
    with zipfile.ZipFile(zip_path) as z:
        lines = "".join(f"{hashlib.sha256(z.read(name)).hexdigest()}  {name}\n" for name in sorted(z.namelist()))
    return "h1:" + base64.b64encode(hashlib.sha256(lines.encode()).digest()).decode()


def locked_hashes(workdir) -> set:
    return set(re.findall(r'"((?:zh|h1):[^"]+)"', (workdir / ".terraform.lock.hcl").read_text()))


def test_release_files_are_what_a_registry_serves(release):
    dist = release["shasums"].parent
    prefix = f"terraform-provider-metal3_{PROVIDER_VERSION}"
    zips = {f"{prefix}_{platform}.zip" for platform in PLATFORMS}
    assert {p.name for p in dist.iterdir()} == zips | {
        f"{prefix}_manifest.json", f"{prefix}_SHA256SUMS",
        f"{prefix}_SHA256SUMS.sig", f"{prefix}_signing-key.asc", "terraform-registry-manifest.json"}
    sums = dict(reversed(line.split()) for line in release["shasums"].read_text().splitlines())
    assert set(sums) == zips | {f"{prefix}_manifest.json"}
    assert (dist / f"{prefix}_manifest.json").read_text() == \
        (PROJECT_ROOT / "terraform-registry-manifest.json").read_text()
    import zipfile
    for platform in PLATFORMS:
        # The same layout on every platform: one executable entry, no folders, fixed time.
        with zipfile.ZipFile(release["zips"][platform]) as z:
            (entry,) = z.infolist()
            assert entry.filename == f"terraform-provider-metal3_v{PROVIDER_VERSION}", platform
            assert entry.external_attr >> 16 == 0o100755, platform
            assert entry.date_time == (1980, 1, 1, 0, 0, 0), platform


def test_install_from_a_registry_verifies_the_signature_then_plans_and_applies(
        tmp_path, release, tls, stack, ironic):
    registry = serve(release, tls)
    namespace = unique_namespace("rel")
    try:
        source = f"{registry.host}/metal3-io/metal3"
        tf = terraform(tmp_path / "registry", tls)
        host = fake_host("rel-0", random_mac(), inspection_mode="disabled", automated_cleaning_mode="disabled")
        tf.write("main.tf", config(source, stack, namespace, resource("h", host)))
        init = tf.run("init", "-input=false", "-no-color")
        assert re.search(rf"Installed {re.escape(source)} v{PROVIDER_VERSION} \(self-signed, key ID "
                         rf"{release['key_id']}\)", init.stdout), init.stdout
        zip_sum = release["zips"]["linux_amd64"]
        sums = dict(reversed(line.split()) for line in release["shasums"].read_text().splitlines())
        hashes = locked_hashes(tf.workdir)
        # Every entry of the signed SHA256SUMS (Terraform takes them all, the manifest's
        # included), and the hash of what was unpacked.
        assert hashes == {f"zh:{digest}" for digest in sums.values()} | {h1(zip_sum)}, hashes
        assert {"/.well-known/terraform.json", "/v1/providers/metal3-io/metal3/versions",
                f"/v1/providers/metal3-io/metal3/{PROVIDER_VERSION}/download/linux/amd64"} <= set(registry.requests)

        plan = tf.run("plan", "-input=false", "-no-color", "-detailed-exitcode", check=False)
        assert plan.returncode == 2 and "1 to add" in plan.stdout, plan.stdout + plan.stderr
        tf.run("apply", "-input=false", "-no-color", "-auto-approve")
        node = ironic.node(node_name(namespace, "rel-0"))
        assert node["provision_state"] == "available", node
        tf.run("destroy", "-input=false", "-no-color", "-auto-approve")
        assert ironic.request("GET", f"/v1/nodes/{node['uuid']}", expect=(404,)).status_code == 404
    finally:
        registry.stop()


def test_a_signature_from_another_key_stops_init(tmp_path, release, tls, stack):
    other = gpg_secret_key(tmp_path / "other-gnupg")
    home = tmp_path / "import"
    home.mkdir(mode=0o700)
    subprocess.run(["gpg", "--batch", "--homedir", str(home), "--import"], input=other, text=True,
                   check=True, capture_output=True)
    public = subprocess.run(["gpg", "--batch", "--homedir", str(home), "--armor", "--export"],
                            check=True, capture_output=True, text=True).stdout
    subprocess.run(["gpgconf", "--homedir", str(home), "--kill", "gpg-agent"], capture_output=True)
    registry = serve(release, tls, signing_key=public)
    try:
        tf = terraform(tmp_path / "wrong-key", tls)
        tf.write("main.tf", config(f"{registry.host}/metal3-io/metal3", stack, "rel-wrong"))
        init = tf.run("init", "-input=false", "-no-color", check=False)
        text = " ".join((init.stdout + init.stderr).split())
        assert init.returncode == 1, text
        assert "signature" in text.lower() and "authentication" in text.lower(), text
        assert not (tf.workdir / ".terraform.lock.hcl").exists()
    finally:
        registry.stop()


def test_install_from_a_network_mirror(tmp_path, release, tls, stack):
    registry = serve(release, tls)
    try:
        mirror = (f'provider_installation {{\n  network_mirror {{\n    url = "{registry.url}/mirror/"\n'
                  '    include = ["registry.terraform.io/metal3-io/*"]\n  }\n}\n')
        tf = terraform(tmp_path / "mirror", tls, mirror)
        tf.write("main.tf", config("metal3-io/metal3", stack, "rel-mirror"))
        init = tf.run("init", "-input=false", "-no-color")
        assert f"Installed metal3-io/metal3 v{PROVIDER_VERSION}" in init.stdout, init.stdout
        # A mirror is not a signed source: the lock file holds the hash of what was unpacked,
        # after Terraform checked the zip against the mirror's `zh:` hash.
        assert locked_hashes(tf.workdir) == {h1(release["zips"]["linux_amd64"])}
        assert {"/mirror/registry.terraform.io/metal3-io/metal3/index.json",
                f"/mirror/registry.terraform.io/metal3-io/metal3/{PROVIDER_VERSION}.json"} <= set(registry.requests)
        plan = tf.run("plan", "-input=false", "-no-color", "-detailed-exitcode", check=False)
        assert plan.returncode == 0, plan.stdout + plan.stderr
    finally:
        registry.stop()


def lock_all_platforms(tf: Terraform, *extra: str) -> set:
    """`terraform providers lock` for every platform; the hashes it wrote."""
    tf.run("providers", "lock", "-no-color", *extra, *[f"-platform={p}" for p in PLATFORMS])
    return locked_hashes(tf.workdir)


def test_the_lock_file_covers_every_platform_from_the_registry(tmp_path, release, tls):
    registry = serve(release, tls)
    try:
        tf = terraform(tmp_path / "lock-registry", tls)
        source = f"{registry.host}/metal3-io/metal3"
        tf.write("main.tf", config(source, {"ironic_url": "http://127.0.0.1:9", "deploy_kernel_url": "",
                                            "deploy_ramdisk_url": ""}, "rel-lock"))
        hashes = lock_all_platforms(tf)
        sums = dict(reversed(line.split()) for line in release["shasums"].read_text().splitlines())
        # Signed SHA256SUMS: every zh: hash; and the h1: of each platform's unpacked package.
        assert hashes == {f"zh:{d}" for d in sums.values()} | {h1(release["zips"][p]) for p in PLATFORMS}, hashes
        downloads = {f"/v1/providers/metal3-io/metal3/{PROVIDER_VERSION}/download/{p.replace('_', '/')}"
                     for p in PLATFORMS}
        assert downloads <= set(registry.requests), registry.requests
    finally:
        registry.stop()


def test_the_lock_file_covers_every_platform_from_the_mirror(tmp_path, release, tls):
    registry = serve(release, tls)
    try:
        tf = terraform(tmp_path / "lock-mirror", tls)
        tf.write("main.tf", config("metal3-io/metal3", {"ironic_url": "http://127.0.0.1:9",
                                                        "deploy_kernel_url": "", "deploy_ramdisk_url": ""},
                                   "rel-lock-mirror"))
        hashes = lock_all_platforms(tf, f"-net-mirror={registry.url}/mirror/")
        # A mirror is not a signed source: Terraform checks each zip against the mirror's zh: hash
        # and locks the h1: of what it unpacked, for each platform.
        assert hashes == {h1(release["zips"][p]) for p in PLATFORMS}, hashes
        fetched = {f"/files/{release['zips'][p].name}" for p in PLATFORMS}
        assert fetched <= set(registry.requests), registry.requests
    finally:
        registry.stop()


def test_the_version_lives_in_the_cargo_workspace_only(provider_bin):
    """The binary, the README's install instructions and CHANGELOG follow Cargo.toml's version."""
    out = subprocess.run([str(provider_bin), "--version"], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["terraform-provider-metal3", PROVIDER_VERSION]
    readme = (PROJECT_ROOT / "README.md").read_text()
    found = set(re.findall(r'version\s*=\s*"(\d+\.\d+\.\d+)"', readme))
    found |= set(re.findall(r"metal3-io/metal3/(\d+\.\d+\.\d+)/", readme))
    found |= set(re.findall(r"\bv=(\d+\.\d+\.\d+)", readme))
    found |= set(re.findall(r"Installed metal3-io/metal3 v(\d+\.\d+\.\d+)", readme))
    found |= set(re.findall(r"Status: (\d+\.\d+\.\d+)", readme))
    assert found == {PROVIDER_VERSION}, found
    changelog = (PROJECT_ROOT / "CHANGELOG.md").read_text()
    assert re.search(rf"^## \[{re.escape(PROVIDER_VERSION)}\] - \d{{4}}-\d\d-\d\d$", changelog, re.M), \
        "CHANGELOG.md has a dated section for the current version"
    assert (PROJECT_ROOT / "LICENSE").read_text().lstrip().startswith("Apache License")

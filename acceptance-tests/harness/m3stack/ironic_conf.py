"""Ironic configuration for one test instance (API and conductor in one process, sqlite, no RPC)."""

from pathlib import Path

# The hardware interfaces the product relies on; ipmi is absent on purpose (no ipmitool binary here).
INTERFACES = {
    "hardware_types": "fake-hardware,redfish",
    "boot_interfaces": "ipxe,pxe,fake,redfish-virtual-media,redfish-https",
    "deploy_interfaces": "direct,fake,ramdisk,custom-agent",
    "inspect_interfaces": "agent,no-inspect,redfish",
    "power_interfaces": "fake,redfish",
    "management_interfaces": "fake,redfish",
    "raid_interfaces": "fake,no-raid,redfish",
    "bios_interfaces": "fake,no-bios,redfish",
    "firmware_interfaces": "fake,no-firmware,redfish",
    "vendor_interfaces": "fake,no-vendor,redfish",
    "console_interfaces": "fake,no-console",
    "rescue_interfaces": "fake,no-rescue",
    "storage_interfaces": "fake,noop",
    "network_interfaces": "noop",
}


def sqlite_path(home: Path) -> Path:
    """The instance's database (the stand-in agent watches it for changes)."""
    return home / "ironic.sqlite"


def write_ironic_config(
    *,
    home: Path,
    port: int,
    file_server_url: str,
    http_subdir: str,
    http_root: Path,
    deploy_kernel_url: str,
    deploy_ramdisk_url: str,
    htpasswd: Path | None,
    database_url: str | None = None,
    rpc_transport: str = "none",
    host: str | None = None,
    conductor_group: str = "",
    json_rpc_port: int | None = None,
    hash_ring_reset_interval: int | None = None,
    inspect_wait_timeout: int = 60,
) -> Path:
    """Create the instance's directories and config file; returns the config path.

    The defaults describe the single-process stack. The multi-conductor cluster (cluster.py) sets
    a shared `database_url`, `rpc_transport = "json-rpc"`, each conductor's `host`, group and
    JSON-RPC port, and how long the API may route by a stale list of conductors. The bench raises
    `inspect_wait_timeout` to Ironic's default (see m3bench/profiles.py).
    """
    tftp_root = home / "tftpboot"
    for d in (home, http_root, tftp_root, tftp_root / "master_images", home / "master_images",
              home / "images", home / "locks"):
        d.mkdir(parents=True, exist_ok=True)
    url = f"http://127.0.0.1:{port}"
    auth = (
        f"auth_strategy = http_basic\nhttp_basic_auth_user_file = {htpasswd}\n"
        if htpasswd
        else "auth_strategy = noauth\n"
    )
    enabled = "".join(f"enabled_{key} = {value}\n" for key, value in INTERFACES.items())
    database = database_url or f"sqlite:///{sqlite_path(home)}"
    ring = f"hash_ring_reset_interval = {hash_ring_reset_interval}\n" if hash_ring_reset_interval else ""
    group = f"conductor_group = {conductor_group}\n" if conductor_group else ""
    conf = f"""[DEFAULT]
{auth}{enabled}default_network_interface = noop
rpc_transport = {rpc_transport}
host = {host or f"m3stack-{home.name}"}
{ring}debug = false
use_stderr = true
tempdir = {home / "tmp"}

[api]
host_ip = 127.0.0.1
port = {port}
api_workers = 1

[database]
connection = {database}
# sqlite only: no fsync per commit. A test stack's database need not survive a power cut, and
# writers hold sqlite's one write lock far shorter (fifty hosts inspected at once queued on it).
sqlite_synchronous = false

[dhcp]
dhcp_provider = none

[conductor]
deploy_kernel = {deploy_kernel_url}
deploy_ramdisk = {deploy_ramdisk_url}
{group}# The product must honour cleaning modes, so automated cleaning stays on (instant with fake deploy).
automated_clean = true
# Periodic tasks: short enough for a test's patience, long enough that an idle stack stays idle
# (python -m m3stack.idle_cpu --dir DIR measures it).
# Deploy/clean/inspect/service-wait timeouts are noticed up to this long after they expire
# (core/tests/faults_ironic.rs allows 15 s beyond inspect_wait_timeout).
check_provision_state_interval = 5
# Ironic's default. Its own power actions set power_state at once; the sync only catches
# out-of-band changes, which no test makes. A sync costs a sushy host three Redfish calls (power,
# boot mode, secure boot), each ~0.25 s of CPU in Ironic 39 unless ironic_process.py memoises PBKDF2:
# at 5 s, three sushy hosts kept Ironic at ~60% of a core.
sync_power_state_interval = 60
# Would add a fourth Redfish call per sync, for node.health, which nothing here reads.
enable_health_monitoring = false
# Ironic's default; with one conductor it only keeps it alive (heartbeat_timeout 60 s).
heartbeat_interval = 10
# A graceful stop (restart_ironic's SIGTERM) waits for reserved nodes at most this long; at
# Ironic's 60 s it raced the harness's 60 s wait for the process to exit.
graceful_shutdown_timeout = 15
# sushy-tools' fake driver applies a power change 1-11 s (whole seconds, so up to 12 s) after it
# is asked; 10 s made Ironic fail Redfish power-offs now and then ("Failed to set node power state").
power_state_change_timeout = 40
# A node nobody inspects fails within a test's patience (tests hold the agent to see it fail).
# Ironic counts from the start of inspection, which for a sushy Redfish host includes a reboot
# (two fake power changes of up to ~15 s each as Ironic polls them), so 30 s was too tight.
# core/tests/faults_ironic.rs (INSPECT_WAIT_TIMEOUT) must match.
inspect_wait_timeout = {inspect_wait_timeout}

[deploy]
http_root = {http_root}
http_url = {file_server_url}/{http_subdir}
shred_random_overwrite_iterations = 0
erase_devices_priority = 0
erase_devices_metadata_priority = 0

[pxe]
tftp_root = {tftp_root}
tftp_master_path = {tftp_root / "master_images"}
images_path = {home / "images"}
instance_master_path = {home / "master_images"}

[service_catalog]
# Agent inspection needs Ironic's own URL; there is no Keystone catalog here.
endpoint_override = {url}
auth_type = none

[oslo_concurrency]
lock_path = {home / "locks"}
"""
    if json_rpc_port:
        # Loopback only, no auth: the API and the conductors are processes of one test machine.
        conf += f"\n[json_rpc]\nhost_ip = 127.0.0.1\nport = {json_rpc_port}\nauth_strategy = noauth\n"
    (home / "tmp").mkdir(exist_ok=True)
    path = home / "ironic.conf"
    path.write_text(conf)
    return path

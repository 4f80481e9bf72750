"""The release's GPG signer: gpg in a private home, so the key never touches ~/.gnupg.

The key (ASCII-armoured secret key) and its passphrase come from the caller, who reads them from
METAL3_RELEASE_GPG_KEY and METAL3_RELEASE_GPG_PASSPHRASE: every message names those variables and
says what to do. gpg's own output is never repeated when it may quote its input (an armour error
prints the offending line, which can be key material); the passphrase goes through a pipe, never
on a command line.
"""

import shutil
import subprocess
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

KEY_VAR = "METAL3_RELEASE_GPG_KEY"
PASSPHRASE_VAR = "METAL3_RELEASE_GPG_PASSPHRASE"
EXPORT_HINT = f"set {KEY_VAR} to the output of `gpg --armor --export-secret-keys <key id>`"
THROWAWAY_UID = "terraform-provider-metal3 throwaway release key <release@metal3.invalid>"


class SigningError(Exception):
    """The key, its passphrase or gpg itself cannot sign; the message is one line, secret-free."""


def _day(epoch: str) -> str:
    try:
        return time.strftime("%Y-%m-%d", time.gmtime(int(epoch)))
    except (ValueError, OverflowError):
        return "an unknown date"


class Signer:
    def __init__(self, home: Path, armoured: str | None, passphrase: str):
        self.home = home
        self.passphrase = passphrase
        self.throwaway = armoured is None
        if armoured is None:
            self._gpg("--passphrase", "", "--quick-gen-key", THROWAWAY_UID, "rsa3072", "sign", "2d",
                      what="making a throwaway key")
        else:
            self._import(armoured)
        self.fingerprint = self._select()
        self.key_id = self.fingerprint[-16:]
        self._probe()

    def _run(self, *args: str, input: str | None = None) -> subprocess.CompletedProcess:
        try:
            return subprocess.run(["gpg", "--batch", "--homedir", str(self.home), "--no-tty", *args],
                                  input=input, capture_output=True, text=True)
        except FileNotFoundError:
            raise SigningError("gpg is not installed; it signs the release: install GnuPG "
                               "(Debian: apt-get install gnupg)") from None

    def _gpg(self, *args: str, what: str, input: str | None = None) -> str:
        proc = self._run(*args, input=input)
        if proc.returncode != 0:
            lines = [line for line in proc.stderr.splitlines() if line.startswith("gpg: ")]
            raise SigningError(f"gpg failed {what}: {lines[-1][5:] if lines else f'exit {proc.returncode}'}")
        return proc.stdout

    def _import(self, armoured: str) -> None:
        if "-----BEGIN PGP" not in armoured:
            raise SigningError(f"{KEY_VAR} is not an ASCII-armoured OpenPGP key (no '-----BEGIN PGP' "
                               f"line); {EXPORT_HINT}")
        proc = self._run("--import", input=armoured)
        if proc.returncode != 0:
            # Not gpg's words: they may quote lines of the key.
            raise SigningError(f"{KEY_VAR} could not be imported: gpg found it damaged or truncated; "
                               f"{EXPORT_HINT}")

    def _records(self, *args: str) -> list[list[str]]:
        out = self._gpg(*args, "--with-colons", "--fixed-list-mode", what="listing the key")
        return [line.split(":") for line in out.splitlines()]

    def _select(self) -> str:
        """The fingerprint of the one secret key, refused when it cannot sign."""
        records = self._records("--list-secret-keys")
        primaries = [i for i, r in enumerate(records) if r[0] == "sec"]
        if not primaries:
            if any(r[0] == "pub" for r in self._records("--list-keys")):
                raise SigningError(f"{KEY_VAR} holds a public key only, which cannot sign; {EXPORT_HINT}")
            raise SigningError(f"{KEY_VAR} holds no OpenPGP key; {EXPORT_HINT}")
        if len(primaries) > 1:
            raise SigningError(f"{KEY_VAR} holds {len(primaries)} secret keys; export only the one "
                               "that signs releases: gpg --armor --export-secret-keys <key id>")
        start = primaries[0]
        keys = [r + [""] * 15 for r in records[start:] if r[0] in ("sec", "ssb")]
        primary, subkeys = keys[0], keys[1:]
        fingerprint = next((r[9] for r in records[start + 1:] if r[0] == "fpr"), "")
        if primary[1] == "r":
            raise SigningError(f"the key in {KEY_VAR} ({fingerprint[-16:]}) is revoked; use another key")
        if primary[1] == "e":
            raise SigningError(f"the key in {KEY_VAR} ({fingerprint[-16:]}) expired on {_day(primary[6])}; "
                               f"extend it (gpg --quick-set-expire {fingerprint} 1y) and export it again")
        signers = [r for r in [primary, *subkeys]
                   if "s" in r[11] and r[1] not in ("e", "r") and r[14] != "#"]
        if not signers:
            able = [r for r in [primary, *subkeys] if "s" in r[11]]
            expired = [r for r in able if r[1] == "e"]
            if expired:
                raise SigningError(f"the signing subkey of the key in {KEY_VAR} expired on "
                                   f"{_day(expired[0][6])}; extend it (gpg --quick-set-expire "
                                   f"{fingerprint} 1y '*') and export the key again")
            if able:
                # "#": gpg holds only a stub, the secret part is elsewhere (offline, smartcard).
                raise SigningError(f"the secret part of the signing key in {KEY_VAR} "
                                   f"({fingerprint[-16:]}) is not in the export (kept offline or on a "
                                   f"card); {EXPORT_HINT}")
            raise SigningError(f"the key in {KEY_VAR} ({fingerprint[-16:]}) has no signing key, only "
                               f"certify/encrypt ones; add one (gpg --quick-add-key {fingerprint} "
                               "ed25519 sign) or use the release key")
        return fingerprint

    def _sign(self, path: Path, signature: Path) -> None:
        proc = self._run("--pinentry-mode", "loopback", "--passphrase-fd", "0", "--local-user",
                         self.fingerprint, "--detach-sign", "--output", str(signature), str(path),
                         input=self.passphrase + "\n")
        if proc.returncode == 0:
            return
        if "No passphrase given" in proc.stderr or "Bad passphrase" in proc.stderr:
            if not self.passphrase:
                raise SigningError(f"the key in {KEY_VAR} is protected by a passphrase: set "
                                   f"{PASSPHRASE_VAR} to it")
            raise SigningError(f"{PASSPHRASE_VAR} is not the passphrase of the key in {KEY_VAR}")
        lines = [line for line in proc.stderr.splitlines() if line.startswith("gpg: ")]
        raise SigningError(f"gpg could not sign with the key in {KEY_VAR}: "
                           f"{lines[-1][5:] if lines else f'exit {proc.returncode}'}")

    def _probe(self) -> None:
        """Signs a few bytes, so a passphrase problem is found before any release file is made."""
        probe = self.home / "probe"
        probe.write_text("probe\n")
        self._sign(probe, self.home / "probe.sig")

    def sign(self, path: Path, signature: Path) -> None:
        self._sign(path, signature)
        self._gpg("--verify", str(signature), str(path), what="verifying the signature it made")

    def public_key(self) -> str:
        key = self._gpg("--armor", "--export", self.fingerprint, what="exporting the public key")
        if "-----BEGIN PGP PUBLIC KEY BLOCK-----" not in key:
            raise SigningError("gpg exported no public key for the signing key")
        return key


@contextmanager
def signer(armoured: str | None, passphrase: str):
    """A Signer with the given key (None: a throwaway key made for this run), its home deleted after."""
    # A short path: gpg-agent's socket lives in the home directory.
    home = Path(tempfile.mkdtemp(prefix="m3gpg-", dir="/tmp"))
    home.chmod(0o700)
    try:
        yield Signer(home, armoured, passphrase)
    finally:
        try:
            subprocess.run(["gpgconf", "--homedir", str(home), "--kill", "gpg-agent"], capture_output=True)
        except FileNotFoundError:
            pass
        shutil.rmtree(home, ignore_errors=True)

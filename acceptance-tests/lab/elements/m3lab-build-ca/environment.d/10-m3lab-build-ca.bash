# Seen by the scripts that run inside the chroot (pip installs the agent there).
export PIP_CERT=/tmp/in_target.d/m3lab-ca.pem
export REQUESTS_CA_BUNDLE=/tmp/in_target.d/m3lab-ca.pem

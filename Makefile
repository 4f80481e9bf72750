# Entry points; the real work is in scripts/.
.PHONY: test bootstrap stack-up stack-down bench release lab-up lab-down lab-status lab-e2e lab-test lab-demo

STACK_DIR ?= .work/stack

test:
	scripts/test.sh

bootstrap:
	scripts/bootstrap.sh

stack-up: bootstrap
	.work/venv/bin/python -m m3stack up --dir $(STACK_DIR)

stack-down:
	@if [ -x .work/venv/bin/python ]; then .work/venv/bin/python -m m3stack down --dir $(STACK_DIR); fi

# The lab (docs/guides/lab.md): VMs booting the real agent, driven by a real Ironic; needs root.
# `make test` brings it up, runs its tests and takes it down. LAB_VMS=N VMs (default 2).
lab-up:
	acceptance-tests/lab/setup.sh
	.work/lab-venv/bin/python -m m3lab up

lab-down:
	@if [ -x .work/lab-venv/bin/python ]; then .work/lab-venv/bin/python -m m3lab down; fi

lab-status:
	.work/lab-venv/bin/python -m m3lab status

# One VM through Ironic's API: enroll, manage, inspect (inventory checked against the domain);
# LAB_E2E_DEPLOY=1 also provides and deploys the test OS and waits for its console marker.
lab-e2e:
	.work/lab-venv/bin/python -m m3lab.e2e

# The lab tests in real Terraform (acceptance-tests/lab/tests; needs make lab-up): the debug
# provider from cargo build against the lab's Ironic, one pytest per VM side by side.
# LAB_TEST_ARGS="-k inventory" etc.
lab-test: bootstrap
	cargo build -p terraform-provider-metal3
	scripts/lab-tests.sh

# make demo on the lab: quickstart inventories the VMs with the real agent, provision-image
# deploys the test OS, with the time each host spent in each Ironic phase.
lab-demo: lab-up
	scripts/lab-demo.sh

# Performance against floors measured in the same run (acceptance-tests/bench/README.md):
# BENCH_PROVIDER_BIN=path measures another binary; BENCH_ARGS=--quick for a small run.
bench:
	acceptance-tests/bench/run.sh $(BENCH_ARGS)

# Signed, registry-shaped release files in dist/ for Linux and macOS (docs/releasing.md);
# METAL3_RELEASE_GPG_KEY signs.
release:
	scripts/release.sh

# demo/down/clean belong to the examples.
-include scripts/examples.mk

# Entry points; the real work is in scripts/.
.PHONY: test bootstrap stack-up stack-down bench release

STACK_DIR ?= .work/stack

test:
	scripts/test.sh

bootstrap:
	scripts/bootstrap.sh

stack-up: bootstrap
	.work/venv/bin/python -m m3stack up --dir $(STACK_DIR)

stack-down:
	@if [ -x .work/venv/bin/python ]; then .work/venv/bin/python -m m3stack down --dir $(STACK_DIR); fi

# Performance against floors measured in the same run (acceptance-tests/bench/README.md):
# BENCH_PROVIDER_BIN=path measures another binary; BENCH_ARGS=--quick for a small run.
bench:
	acceptance-tests/bench/run.sh $(BENCH_ARGS)

# Signed, registry-shaped release files in dist/ for every platform (docs/releasing.md);
# METAL3_RELEASE_GPG_KEY signs, RELEASE_DARWIN=1 also tries macOS.
release:
	scripts/release.sh

# demo/down/clean belong to the examples.
-include scripts/examples.mk

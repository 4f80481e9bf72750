# Entry points; the real work is in scripts/.
.PHONY: test bootstrap stack-up stack-down

STACK_DIR ?= .work/stack

test:
	scripts/test.sh

bootstrap:
	scripts/bootstrap.sh

stack-up: bootstrap
	.work/venv/bin/python -m m3stack up --dir $(STACK_DIR)

stack-down:
	@if [ -x .work/venv/bin/python ]; then .work/venv/bin/python -m m3stack down --dir $(STACK_DIR); fi

# demo/down/clean belong to the examples.
-include scripts/examples.mk

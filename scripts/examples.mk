# Included by the top-level Makefile (`-include scripts/examples.mk`): the newcomer path.
.PHONY: demo down clean distclean example

demo: ## local Ironic + emulated BMCs, then terraform apply of examples/quickstart
	scripts/demo.sh

down: ## stop the demo stack and forget the examples' state
	scripts/demo-down.sh

clean: ## down, and remove the provider mirror (keeps .work/venv)
	scripts/demo-down.sh --clean

distclean: ## remove everything generated, the venv included
	-scripts/demo-down.sh
	rm -rf .work

example: ## run one example against the running stack: make example NAME=provision-image
	scripts/example.sh $(NAME) $(ACTION)

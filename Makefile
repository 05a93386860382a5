# Thin aliases for ./dev, which does the work.
.PHONY: run test bench lint
run:
	./dev run
test:
	./dev test
bench:
	./dev bench
lint:
	./dev lint

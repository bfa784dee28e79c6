# pyflink-go: build, test and lint. `make test` is the test command of README.md
# and of .ci/run. Go build tags come from pybridge/build-tags.txt (as in setup.py).

PYTHON ?= python3
GO     ?= go

GO_TAGS      := $(shell sed -e 's/\#.*//' pybridge/build-tags.txt | tr -s ' ,\n\t' ',' | sed -e 's/^,//' -e 's/,$$//')
GO_TAGS_FLAG := $(if $(GO_TAGS),-tags '$(GO_TAGS)')

# What the tests import beyond the standard library; pybindgen lets `make dev`
# run gopy outside pip's isolated build environment.
PY_DEPS := 'grpcio>=1.60' 'msgpack>=1.0' 'cloudpickle>=3' 'pybindgen==0.22.1' \
           'setuptools>=64' wheel pytest nbclient ipykernel
PY_IMPORTS := grpc, msgpack, cloudpickle, pybindgen, setuptools, wheel, pytest, nbclient, ipykernel

# The Python tests run against the source tree with the native module built in place.
PY_TEST_ENV := PYTHONPATH=$(CURDIR)/python$(if $(PYTHONPATH),:$(PYTHONPATH))

.PHONY: install dev deps deps-check test test-go test-py bench bench-core lint clean

## install: build the engine and install the package into $(PYTHON)'s environment
install:
	$(PYTHON) -m pip install .

## dev: build the native module in place (python/pyflink_go/_native) for PYTHONPATH=python
dev: deps-check
	$(PYTHON) setup.py -q build_ext --inplace

## deps: install the Python packages the build and the tests need (.ci/run uses it)
deps:
	$(PYTHON) -m pip install -q $(PY_DEPS)

# deps-check: run `make deps` only if one of those packages cannot be imported
deps-check:
	@$(PYTHON) -c "import $(PY_IMPORTS)" 2>/dev/null || $(MAKE) --no-print-directory deps

## test: the Go and the Python test suites
test: test-go test-py

test-go:
	$(GO) test $(GO_TAGS_FLAG) ./...

test-py: dev
	$(PY_TEST_ENV) $(PYTHON) -m pytest python/tests

## bench: the side-by-side comparison with Apache Flink (PyFlink and Flink Java); BENCH_ARGS="--scale 0.2" for a shorter run
bench: install
	$(PYTHON) bench/run.py $(BENCH_ARGS)

## bench-core: the engine's own figures (Go benchmarks, Python map vs a bare loop, state and windows)
bench-core: dev
	$(GO) test $(GO_TAGS_FLAG) -bench . -run '^$$' ./...
	$(PY_TEST_ENV) $(PYTHON) bench/engine_core.py
	$(PY_TEST_ENV) $(PYTHON) bench/state_windows.py

## lint: gofmt and go vet
lint:
	@out=$$(git ls-files -co --exclude-standard '*.go' | xargs -r gofmt -l); \
	if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet $(GO_TAGS_FLAG) ./...

## clean: remove build outputs and the in-place native module
clean:
	rm -rf build dist python/*.egg-info *.egg-info python/pyflink_go/_native .pytest_cache
	find python -name __pycache__ -type d -prune -exec rm -rf {} +

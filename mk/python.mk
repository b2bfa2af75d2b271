# Python binding (bindings-python: pyo3 abi3 + maturin) and the Django example.

PY_VENV := $(ROOT)/build/venv-python
PY := $(PY_VENV)/bin/python
PY_REQS := $(ROOT)/bindings-python/requirements-dev.txt
PY_STAMP := $(PY_VENV)/.requirements-installed
PY_WHEELS := $(ROOT)/build/wheels-python
PY_WHEEL_STAMP := $(PY_WHEELS)/.installed
PY_SOURCES := $(shell find $(ROOT)/core/src $(ROOT)/bindings-python/src $(ROOT)/bindings-python/python \
	-type f \( -name '*.rs' -o -name '*.py' -o -name '*.pyi' -o -name 'py.typed' \) 2>/dev/null) \
	$(ROOT)/Cargo.lock $(ROOT)/core/Cargo.toml $(ROOT)/bindings-python/Cargo.toml $(ROOT)/bindings-python/pyproject.toml

PY_NATIVE := $(ROOT)/build/python-native
PY_NATIVE_STAMP := $(PY_NATIVE)/.built

.PHONY: ensure-python python-wheel python-native test-python conformance-python demo-python bench-python bench-python-smoke

ensure-python: $(PY_STAMP)

$(PY_STAMP): $(PY_REQS)
	@python3 -c 'import ensurepip' 2>/dev/null || $(ROOT)/scripts/ensure-apt.sh python3-venv
	@test -x $(PY) || python3 -m venv $(PY_VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r $(PY_REQS)
	@touch $@

# Build the abi3 wheel (release) and install it into the venv. A test build: it also has
# the core's test-only preset (feature probe-preset), which tests/test_native_values.py
# signs to show a preset needs no binding edit.
PY_FEATURES := --features pyo3/extension-module,userhash/probe-preset

python-wheel: $(PY_WHEEL_STAMP)

$(PY_WHEEL_STAMP): $(PY_STAMP) $(PY_SOURCES)
	@mkdir -p $(PY_WHEELS)
	@rm -f $(PY_WHEELS)/userhash-*.whl
	$(PY_VENV)/bin/maturin build --quiet --release $(PY_FEATURES) -m $(ROOT)/bindings-python/Cargo.toml \
		-i $(PY) -o $(PY_WHEELS)
	$(PY) -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps $(PY_WHEELS)/userhash-*.whl
	@touch $@

# A version-specific (non-abi3) build of the extension for this interpreter, only for
# bench.py to compare against the abi3 wheel in the same process. Its own target dir,
# so the two feature sets don't evict each other's artifacts from target/.
python-native: $(PY_NATIVE_STAMP)

$(PY_NATIVE_STAMP): $(PY_STAMP) $(PY_SOURCES)
	@rm -rf $(PY_NATIVE) && mkdir -p $(PY_NATIVE)
	CARGO_TARGET_DIR=$(ROOT)/build/target-python-native $(PY_VENV)/bin/maturin build --quiet --release \
		--no-default-features $(PY_FEATURES) -m $(ROOT)/bindings-python/Cargo.toml -i $(PY) -o $(PY_NATIVE)/wheel
	$(PY) -m zipfile -e $(PY_NATIVE)/wheel/userhash-*.whl $(PY_NATIVE)/site
	@touch $@

test-python: python-wheel
	cd $(ROOT)/bindings-python && $(PY) -m pytest -q -p no:cacheprovider tests
	cd $(ROOT)/examples/django && $(PY) -m pytest -q -p no:cacheprovider
	$(PY) -c "import userhash; print(userhash.Signer('s3cr3t','ensoras').sign(email='Alice@Example.COM'))" \
		| grep -qx ab95b46c56bf1e130a97a04151c226e8916a5b09561edf60d4f91c4a1860f995

conformance-python: python-wheel
	@$(PY) $(ROOT)/bindings-python/tests/conformance_cli.py

demo-python: python-wheel
	@echo "== python =="
	@$(PY) $(ROOT)/bindings-python/demo.py

bench-python: python-wheel python-native
	@$(PY) $(ROOT)/bindings-python/bench.py

# `make test`: the bench once with tiny counts (both sides must agree; no timing claims).
bench-python-smoke: python-wheel
	@USERHASH_BENCH_SMOKE=1 $(PY) $(ROOT)/bindings-python/bench.py

# The Django example renders every browser-test case through {% userhash_embed %}
# (tests/browser, docs/embed.md): its test-only route is on with USERHASH_EMBED_TEST_ROUTE=1.
BROWSER_EXAMPLES += --example 'django=cd examples/django && USERHASH_EMBED_TEST_ROUTE=1 exec $(PY) manage.py runserver 127.0.0.1:$$PORT --noreload --skip-checks'
test-browser: python-wheel

ENSURE_TARGETS += ensure-python
TEST_TARGETS += test-python bench-python-smoke
CONFORMANCE_TARGETS += conformance-python
DEMO_TARGETS += demo-python
BENCH_TARGETS += bench-python

# Python release artifacts (issue 13), in dist/python/:
#
#   userhash-<v>-cp310-abi3-manylinux2014_x86_64.manylinux_2_17_x86_64.whl
#       one abi3 wheel for every CPython >= 3.10 on x86_64 Linux with glibc >= 2.17, built
#       with maturin --zig (dist-tools) and checked by auditwheel show and check-elf.py;
#       LICENSE-MIT and LICENSE-APACHE in its .dist-info/licenses/ (pyproject license-files);
#   userhash-<v>.tar.gz
#       the sdist every other platform builds (Rust >= 1.95 needed, no network; the two
#       license files at its root): its crates
#       vendored (bindings-python/vendor-sdist.sh, scripts/vendor-crates.sh). dist-python builds it once with an empty
#       CARGO_HOME and CARGO_NET_OFFLINE=true to prove it.
#
# Release builds use their own target directories under build/, so `make dist` never
# replaces target/'s artifacts (the test wheel, other languages' builds) with zig-linked
# or release-feature ones.

# Recursive (=): mk/dist.mk, which defines DIST and DIST_TOOLS_BIN, is read after this file.
DIST_PY = $(DIST)/python
DIST_PY_TARGET = $(ROOT)/build/target-dist-python
DIST_PY_SDIST_CHECK = $(ROOT)/build/dist-python-sdist-check
DIST_PY_ENV = PATH=$(DIST_TOOLS_BIN):$$PATH CARGO_TARGET_DIR=$(DIST_PY_TARGET)

.PHONY: dist-python test-dist-python

dist-python: dist-tools
	@rm -rf $(DIST_PY) && mkdir -p $(DIST_PY)
	@# pyproject's license-files must lie beside it: the root's two files, copied (git-ignored).
	cp $(ROOT)/LICENSE-MIT $(ROOT)/LICENSE-APACHE $(ROOT)/bindings-python/
	cd $(ROOT)/bindings-python && $(DIST_PY_ENV) maturin build --quiet --release --zig \
		--compatibility manylinux2014 --target $(DIST_RUST_TARGET) -o $(DIST_PY)
	$(DIST_TOOLS_BIN)/auditwheel show $(DIST_PY)/userhash-*.whl | tee $(DIST_PY_TARGET)/auditwheel.txt
	@tr -s ' \n' ' ' < $(DIST_PY_TARGET)/auditwheel.txt | grep -q 'consistent with the following platform tag: "manylinux_2_17_x86_64"' \
		|| { echo "dist-python: the wheel is not manylinux2014 (manylinux_2_17)"; exit 1; }
	python3 $(ROOT)/scripts/check-elf.py $(DIST_PY)
	cd $(ROOT)/bindings-python && PATH=$(DIST_TOOLS_BIN):$$PATH maturin sdist -o $(DIST_PY)
	$(ROOT)/bindings-python/vendor-sdist.sh $(DIST_PY)/userhash-*.tar.gz
	@# The sdist builds where pip builds it (its unpacked root: .cargo/config.toml), offline.
	rm -rf $(DIST_PY_SDIST_CHECK) && mkdir -p $(DIST_PY_SDIST_CHECK)/cargo-home
	cd $(DIST_PY_SDIST_CHECK) && PATH=$(DIST_TOOLS_BIN):$$PATH CARGO_HOME=$(DIST_PY_SDIST_CHECK)/cargo-home \
		CARGO_NET_OFFLINE=true CARGO_TARGET_DIR=$(DIST_PY_SDIST_CHECK)/target \
		$(DIST_TOOLS_BIN)/pip wheel -q --disable-pip-version-check --no-build-isolation --no-index --no-deps \
		-w $(DIST_PY_SDIST_CHECK)/wheel $(DIST_PY)/userhash-*.tar.gz
	@! ls -d $(DIST_PY_SDIST_CHECK)/cargo-home/registry $(DIST_PY_SDIST_CHECK)/cargo-home/git 2> /dev/null \
		|| { echo "dist-python: the sdist build fetched crates into CARGO_HOME"; exit 1; }
	@ls $(DIST_PY_SDIST_CHECK)/wheel/userhash-*-cp310-abi3-*.whl > /dev/null
	rm -rf $(DIST_PY_SDIST_CHECK)
	@ls -l $(DIST_PY)

# pip installs the wheel from dist/python alone (--no-index), in a fresh venv outside the
# repository, with cargo and rustc off PATH; Django (the only optional dependency) comes
# from PyPI first.
test-dist-python:
	PATH=$(NO_CARGO_PATH) $(ROOT)/bindings-python/test-dist.sh $(DIST_PY)

DIST_TARGETS += dist-python
TEST_DIST_TARGETS += test-dist-python

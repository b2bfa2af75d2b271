# `userhash doctor` (docs/doctor.md) over the shared corpus tests/doctor/cases.json:
# hashes made wrong by real Python, Ruby, PHP, Go, Java and Node code.
#
#   make doctor-corpus   regenerate tests/doctor/cases.json with each language's generator
#   make test-doctor     regenerate, fail on a diff, then the CLI over every case
#                        (cli/tests/doctor.rs: each case's variant, a random hash exits 1,
#                        bad input exits 2, no output shows a secret, the corpus covers
#                        exactly the documented variants)
#   make doctor-timing   the search's worst cases with the release CLI (CPU time, candidates)

DOCTOR_DIR := $(ROOT)/tests/doctor

.PHONY: ensure-doctor doctor-corpus test-doctor doctor-timing

# The generators need each language's own toolchain; Ruby and PHP come from Debian
# (mk/ruby.mk, mk/php.mk; PHP with mbstring), Go from mk/go.mk, Java 17 and Node
# are preinstalled on CI with Debian's packages as the fallback.
ensure-doctor: ensure-ruby ensure-php ensure-go
	@command -v java >/dev/null || $(ROOT)/scripts/ensure-apt.sh openjdk-17-jdk-headless
	@command -v node >/dev/null || $(ROOT)/scripts/ensure-apt.sh nodejs

doctor-corpus: ensure-doctor
	python3 $(DOCTOR_DIR)/generate.py

test-doctor: doctor-corpus
	git diff --exit-code -- tests/doctor/cases.json
	@test -z "$$(git status --porcelain -- tests/doctor/cases.json)" || { echo "tests/doctor/cases.json is not committed"; exit 1; }
	$(CARGO) test -p userhash-cli --test doctor

doctor-timing: cli
	@bash $(DOCTOR_DIR)/timing.sh $(USERHASH_CLI)

TEST_TARGETS += test-doctor

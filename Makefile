# Everything a fresh machine needs goes through these targets; nothing is installed by hand.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
# make run's SQLite file: the one `recovery-skill data` reads when nothing else is configured.
DB     ?= $(or $(RECOVERY_SKILL_DB),$(or $(XDG_DATA_HOME),$(HOME)/.local/share)/recovery-skill/recovery.db)
# .venv is made by $(PYTHON), 3.11 or newer; one made by another Python (older, or gone) is made anew.
PYTHON_MIN     := 3.11
PYTHON_VERSION := $(shell $(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)
VENV_VERSION   := $(shell $(BIN)/python -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)
# Lambda runs Python $(LAMBDA_PYTHON_VERSION) on x86_64 (the runtime in ask-resources.json): take wheels built
# for it, whatever Python builds the zip.
LAMBDA_PYTHON_VERSION := 3.12
# That Python, to precompile the zip, so a cold start does not compile the SDK; optional.
LAMBDA_PY ?= $(firstword $(wildcard $(HOME)/.pyenv/versions/$(LAMBDA_PYTHON_VERSION)*/bin/python3 \
	/usr/bin/python$(LAMBDA_PYTHON_VERSION) /usr/local/bin/python$(LAMBDA_PYTHON_VERSION)))
LAMBDA_PLATFORM := --platform manylinux2014_x86_64 --python-version $(LAMBDA_PYTHON_VERSION) --implementation cp \
	--only-binary=:all:

.PHONY: setup run test validate bench lambda-zip content crisis-model architecture clean system-deps node-deps python-version screens pictures soak

ifneq ($(VENV_VERSION),$(PYTHON_VERSION))
$(STAMP): python-version
endif

python-version:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < tuple(map(int, "$(PYTHON_MIN)".split("."))))' 2>/dev/null || \
	{ echo "make: $(PYTHON) is $(if $(PYTHON_VERSION),Python $(PYTHON_VERSION),not there); this project needs Python" \
	"$(PYTHON_MIN) or newer: install it, or run make PYTHON=/path/to/python3.12 (for example)" >&2; exit 1; }

$(STAMP): pyproject.toml
	@if [ -d $(VENV) ] && [ "$(VENV_VERSION)" != "$(PYTHON_VERSION)" ]; then \
		echo "make: $(VENV) was made by $(if $(VENV_VERSION),Python $(VENV_VERSION),a Python that no longer runs);" \
		"making it anew with $(PYTHON) (Python $(PYTHON_VERSION))"; rm -rf $(VENV); fi
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev,web,voice,dynamodb]"
	touch $@

# Debian packages for the simulator's voice (espeak-ng); prints the command instead when not root.
system-deps:
	@bash scripts/install-system-packages.sh

# Node.js and dynalite (a DynamoDB-protocol server) for the storage tests.
node-deps:
	@if [ -f scripts/install-node-deps.sh ]; then bash scripts/install-node-deps.sh; fi

setup: $(STAMP) system-deps node-deps

# Talk to the skill on this machine: SQLite storage, no cloud account. Answers are printed and spoken
# (espeak-ng, played by aplay from alsa-utils); without a sound device the simulator saves each as a WAV
# file in a folder of the run's own, audio/<date-time>/, and says where (one message: the simulator's).
run: $(STAMP)
	@bash scripts/install-system-packages.sh --with-audio
	@echo "Surgery dates go to $(DB) (make run DB=FILE for another)."
	$(BIN)/recovery-skill sim --speak --db "$(DB)"

validate: $(STAMP)
	$(BIN)/recovery-skill validate

# The whole suite: certification checks, then every test.
test: setup
	$(BIN)/recovery-skill validate
	$(BIN)/python -m pytest

bench: setup lambda-zip
	$(BIN)/python bench/run_all.py

# Soak: recovery-skill serve on 127.0.0.1 under SOAK_CLIENTS clients for SOAK_SECONDS (2.5 minutes by default;
# at most 9), then a SIGTERM across the load. Prints req/s, p50/p99, errors, RSS at start, middle and end, and
# what the SIGTERM dropped (must be 0); fails unless all is well. Stops by itself; loopback only.
SOAK_SECONDS ?= 150
SOAK_CLIENTS ?= 4
soak: $(STAMP)
	$(BIN)/python bench/soak.py --seconds $(SOAK_SECONDS) --clients $(SOAK_CLIENTS)

# The pictures in docs/, drawn anew from the code: the Echo Show screens (docs/screens/*.png), the console
# (docs/console.png), and docs/screens/INPUTS.sha256, what they were drawn from (tests/test_pictures.py fails
# when a picture is stale). Headless Chromium from Debian, no browser download.
screens pictures: $(STAMP)
	@bash scripts/install-system-packages.sh --with-browser
	$(BIN)/python scripts/render-screens.py

# The generated content, after editing skill/content/*.yaml: skill/content/content.json (what Lambda reads,
# no PyYAML on the cold start) and the interaction model's SubjectType slot values. Commit what it writes.
content: $(STAMP)
	$(BIN)/python -m skill_tools.content_build

# The crisis model's weights, skill/content/crisis_model.json, trained on the tuning set and CLINC150's training
# requests (its data from a `fetch` of clinc/oos-eval or $$CLINC150_DATA). Commit what it writes.
crisis-model: $(STAMP)
	$(BIN)/python -m skill_tools.crisis_model_build

# docs/architecture.md drawn anew from the imports of skill/ and skill_tools/ (tests/test_architecture.py
# fails when it is stale, or when an import goes upward or round in a circle).
architecture: $(STAMP)
	$(BIN)/python -m skill_tools.architecture

# Lambda deployment package: the handler, skill/ and runtime dependencies only, as pyproject.toml lists
# them (scripts/lambda_requirements.py: boto3, the DynamoDB store's only dependency, is part of the Lambda
# runtime, so it is not packaged). The SDK's own .pyc are compiled without its docstrings'
# SyntaxWarnings; ours with every warning an error. It writes nothing but build/: generated content that
# is not current stops it (make content).
lambda-zip: $(STAMP)
	$(BIN)/python -m skill_tools.content_build --check
	rm -rf build/lambda build/lambda.zip
	mkdir -p build/lambda
	$(BIN)/python scripts/lambda_requirements.py > build/lambda-requirements.txt
	$(BIN)/python -m pip install --quiet --target build/lambda $(LAMBDA_PLATFORM) -r build/lambda-requirements.txt
	cp lambda/lambda_function.py build/lambda/
	cp -r skill build/lambda/skill
	find build/lambda -name '__pycache__' -type d -prune -exec rm -rf {} +
	rm -rf build/lambda/bin build/lambda/*.dist-info/RECORD
	@if [ -n "$(LAMBDA_PY)" ]; then \
		$(LAMBDA_PY) -W ignore::SyntaxWarning -m compileall -q --invalidation-mode unchecked-hash \
			-x '^build/lambda/(skill|lambda_function)' build/lambda && \
		$(LAMBDA_PY) -W error -m compileall -q --invalidation-mode unchecked-hash \
			build/lambda/skill build/lambda/lambda_function.py; \
	else echo "no Python $(LAMBDA_PYTHON_VERSION) here: the zip ships without .pyc, so its first cold start compiles"; fi
	cd build/lambda && $(CURDIR)/$(BIN)/python -c "import shutil; shutil.make_archive('../lambda', 'zip', '.')"
	@ls -l build/lambda.zip

clean:
	rm -rf build $(VENV) node_modules
